import path from 'node:path';
import { UsageError } from '../errors.js';
import { listWorktrees, type GitWorktree } from '../git/index.js';
import type { Repo } from '../repo.js';
import { realpathLoose } from './paths.js';

/** Finding worktrees by the names tmc-orch calls them (the folder's name). */

export interface WorktreeInfo {
  name: string;
  path: string;
  branch: string | null;
  head: string | null;
  main: boolean;
  locked: string | null;
  prunable: string | null;
}

/** Every worktree git knows, main first, each with the name tmc-orch calls it by. */
export async function worktrees(repo: Repo): Promise<WorktreeInfo[]> {
  const list = await listWorktrees(repo.toplevel);
  const mainReal = await realpathLoose(repo.mainRoot);
  const result: WorktreeInfo[] = [];
  for (const wt of list) {
    if (wt.bare) continue;
    result.push(toInfo(wt, (await realpathLoose(wt.path)) === mainReal));
  }
  return result;
}

function toInfo(wt: GitWorktree, main: boolean): WorktreeInfo {
  return {
    name: path.basename(wt.path),
    path: wt.path,
    branch: wt.branch,
    head: wt.head,
    main,
    locked: wt.locked,
    prunable: wt.prunable,
  };
}

/** The worktree called `name`, or a UsageError that says how to see the names. */
export async function findWorktree(repo: Repo, name: string): Promise<WorktreeInfo> {
  const all = await worktrees(repo);
  const found = all.find((w) => w.name === name);
  if (!found) {
    const names = all.map((w) => w.name).join(', ');
    throw new UsageError(
      `no worktree named ${JSON.stringify(name)} (known: ${names}); see tmc-orch worktree list`,
    );
  }
  return found;
}

/** The worktree that contains the directory the command runs in. */
export async function currentWorktree(repo: Repo): Promise<WorktreeInfo> {
  const top = await realpathLoose(repo.toplevel);
  const all = await worktrees(repo);
  for (const wt of all) if ((await realpathLoose(wt.path)) === top) return wt;
  throw new UsageError(`${repo.toplevel} is not a worktree git knows; run git worktree list`);
}
