import { UsageError } from '../errors.js';

export const MAX_NAME_LENGTH = 64;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `name` is not a valid worktree name, or null when it is. */
export function worktreeNameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME_PATTERN.test(name)) {
    return 'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"';
  }
  if (name.includes('..')) return 'must not contain ".."';
  if (name.toLowerCase().endsWith('.lock')) return 'must not end in ".lock"';
  return null;
}

export function assertWorktreeName(name: string): void {
  const problem = worktreeNameProblem(name);
  if (problem) {
    throw new UsageError(
      `invalid worktree name ${JSON.stringify(name)}: it ${problem}; use a name like 03a-foundation`,
    );
  }
}
