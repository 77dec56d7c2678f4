import { UsageError } from '../errors.js';
import { isObjectId } from '../git/object-id.js';

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

/** First path components under which git would read a short name as another ref. */
const SHADOWED_PREFIXES = ['refs', 'heads', 'tags', 'remotes'] as const;
/** HEAD, ORIG_HEAD, FETCH_HEAD…, any case (a case-insensitive disk finds .git/HEAD for "head"). */
const PSEUDO_REF =
  /^(?:[A-Z]+_)*HEAD$|^AUTO_MERGE$|^BISECT_EXPECTED_REV$|^NOTES_MERGE_(?:PARTIAL|REF)$/i;

/**
 * Why git would read the short name of branch `name` as another ref, or null: a branch that a
 * short name cannot stand for is one every command given that name gets wrong (a branch
 * `origin/main` shadows the remote-tracking `origin/main`; `tags/v1` is read as refs/tags/v1;
 * `ORIG_HEAD` as .git/ORIG_HEAD). Git's own rules (`check-ref-format --branch`) come on top.
 */
export function branchNameProblem(name: string, remotes: readonly string[]): string | null {
  for (const remote of remotes) {
    if (name === remote) {
      return `is the name of the remote "${remote}", whose default branch it would shadow`;
    }
    if (name.startsWith(`${remote}/`)) {
      return `lies under the remote "${remote}", so it would shadow the remote-tracking branch refs/remotes/${name}`;
    }
  }
  const first = name.split('/')[0] ?? '';
  if ((SHADOWED_PREFIXES as readonly string[]).includes(first)) {
    const read = first === 'refs' ? name : `refs/${name}`;
    return `starts with "${first}/", so git would read "${name}" as ${read}, not refs/heads/${name}`;
  }
  if (PSEUDO_REF.test(name)) {
    return `is a pseudo-ref name, so git would read it as .git/${name.toUpperCase()}`;
  }
  if (isObjectId(name.toLowerCase())) return 'looks like a commit id';
  if (name.endsWith('.')) return 'ends in "."';
  return null;
}
