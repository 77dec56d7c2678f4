import { realpath } from 'node:fs/promises';
import { pathExists } from '../util/fs.js';
import { isInside } from '../util/path.js';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** Resolves symlinks in the longest existing prefix of `p` and keeps the rest as written. */
export async function realpathLoose(p: string): Promise<string> {
  const absolute = path.resolve(p);
  // Most paths exist: one call then (status asks this of every worktree).
  try {
    return await realpath(absolute);
  } catch {
    // Missing (or a dangling link): the longest prefix that exists, below.
  }
  let existing = absolute;
  const rest: string[] = [];
  while (!(await pathExists(existing))) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  try {
    return path.join(await realpath(existing), ...rest);
  } catch {
    return absolute;
  }
}

/**
 * The folder of worktree `name` under the worktree root. The name is already validated; this
 * guards the last way out: a symlink planted at <root>/<name>.
 */
export async function worktreePath(worktreeRoot: string, name: string): Promise<string> {
  const root = await realpathLoose(worktreeRoot);
  const candidate = path.join(root, name);
  const resolved = await realpathLoose(candidate);
  if (!isInside(resolved, root)) {
    throw new UsageError(
      `worktree path ${candidate} leads outside the worktree root ${root} (symlink?); remove the link or choose another name`,
    );
  }
  return candidate;
}
