import path from 'node:path';
import { readRebaseState, worktreeGitDir } from '../git/index.js';
import { readTextOrNull } from '../util/fs.js';
import type { WorktreeInfo } from './lookup.js';

/**
 * The branches worktrees hold: checked out, or being rebased or bisected in one (HEAD is
 * detached then, and `git worktree list` names no branch, yet the branch comes back when the
 * operation ends). A command that moves a branch without a worktree must leave these alone, as
 * `git branch -f` does: moving one would leave that worktree's files, or its operation, behind.
 */
export async function heldBranches(all: readonly WorktreeInfo[]): Promise<Set<string>> {
  const held = new Set<string>();
  await Promise.all(
    all.map(async (wt) => {
      if (wt.branch !== null) held.add(wt.branch);
      if (wt.prunable !== null) return;
      const gitDir = await worktreeGitDir(wt.path);
      if (gitDir === null) return;
      const [rebase, bisect] = await Promise.all([
        readRebaseState(gitDir),
        readTextOrNull(path.join(gitDir, 'BISECT_START')),
      ]);
      const rebased = rebase?.headName ?? '';
      if (rebased.startsWith('refs/heads/')) held.add(rebased.slice('refs/heads/'.length));
      // BISECT_START holds the branch bisect started from (or a commit, for a detached HEAD).
      const bisected = bisect?.trim() ?? '';
      if (bisected !== '') held.add(bisected.replace(/^refs\/heads\//, ''));
    }),
  );
  return held;
}
