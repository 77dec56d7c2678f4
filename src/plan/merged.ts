import {
  hasEquivalentPatch,
  isAncestor,
  mergeBase,
  mergeTrees,
  scratchCommit,
  treeOf,
} from '../git/index.js';
import { branchHasOwnWork } from '../worktrees/integrated.js';

/**
 * Whether a worktree's work is in the base, as a plan's stream needs to know it: "finished" means
 * every branch of the stream landed, however it was merged.
 *
 * - A tip the base contains landed by a merge commit or a fast-forward, but a branch nobody has
 *   committed on yet is contained too (a new worktree starts at the base). It counts only with
 *   work of its own: commits made on the branch (its reflog says "commit", "cherry-pick", …), or
 *   a tip the base reached through a merge rather than along its first-parent line, which is not
 *   where the branch was created (hasOwnWork in src/worktrees/integrated.ts: worktree clean and
 *   status judge it the same way).
 * - A tip the base does not contain landed by a squash when the base has a commit with the same
 *   patch as the whole branch (its tree over the merge base), or by a rebase when merging the tip
 *   into the base changes nothing. A squash whose patch was edited while merging is not seen.
 */

export type MergeState =
  | { merged: true; how: 'merge' | 'squash' | 'content' }
  | { merged: false; why: 'no-commit' | 'no-work' | 'not-in-base' };

export interface BranchTip {
  /** The branch checked out, without refs/heads/; null when detached. */
  branch: string | null;
  head: string | null;
}

export async function mergeState(
  cwd: string,
  tip: BranchTip,
  baseCommit: string | null,
): Promise<MergeState> {
  const { head, branch } = tip;
  if (!head || !baseCommit) return { merged: false, why: 'no-commit' };
  if (await isAncestor(cwd, head, baseCommit)) {
    return (await branchHasOwnWork(cwd, head, baseCommit, branch))
      ? { merged: true, how: 'merge' }
      : { merged: false, why: 'no-work' };
  }
  const base = await mergeBase(cwd, head, baseCommit);
  // The base has nothing since the branch left it: nothing of the branch can be in it.
  if (!base || base === baseCommit) return { merged: false, why: 'not-in-base' };
  const squashed = await scratchCommit(cwd, await treeOf(cwd, head), base);
  if (await hasEquivalentPatch(cwd, baseCommit, squashed)) return { merged: true, how: 'squash' };
  const [merge, baseTree] = await Promise.all([
    mergeTrees(cwd, baseCommit, head),
    treeOf(cwd, baseCommit),
  ]);
  if (merge.clean && merge.tree === baseTree) return { merged: true, how: 'content' };
  return { merged: false, why: 'not-in-base' };
}
