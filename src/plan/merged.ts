import {
  hasEquivalentPatch,
  isAncestor,
  mergeBase,
  mergeTrees,
  onFirstParentLine,
  reflog,
  scratchCommit,
  treeOf,
  type ReflogEntry,
} from '../git/index.js';

/**
 * Whether a worktree's work is in the base, as a plan's stream needs to know it: "finished" means
 * every branch of the stream landed, however it was merged.
 *
 * - A tip the base contains landed by a merge commit or a fast-forward, but a branch nobody has
 *   committed on yet is contained too (a new worktree starts at the base). It counts only with
 *   work of its own: commits made on the branch (its reflog says "commit", "cherry-pick", …), or
 *   a tip the base reached through a merge rather than along its first-parent line, which is not
 *   where the branch was created.
 * - A tip the base does not contain landed by a squash when the base has a commit with the same
 *   patch as the whole branch (its tree over the merge base), or by a rebase when merging the tip
 *   into the base changes nothing. A squash whose patch was edited while merging is not seen.
 */

export type MergeState =
  | { merged: true; how: 'merge' | 'squash' | 'content' }
  | { merged: false; why: 'no-commit' | 'no-work' | 'not-in-base' };

/** What the reflog says about a branch: where it was created, and whether commits were made on it. */
export function reflogWork(entries: readonly ReflogEntry[]): {
  createdAt: string | null;
  madeCommits: boolean;
} {
  const oldest = entries[entries.length - 1];
  const createdAt = oldest && /^branch: Created from /.test(oldest.subject) ? oldest.commit : null;
  const madeCommits = entries.some((e) => /^(commit|cherry-pick|revert|am)\b/.test(e.subject));
  return { createdAt, madeCommits };
}

/**
 * For a tip the base contains: whether the branch had work of its own (see the module comment).
 * `onFirstParent`: the tip is on the base's first-parent line.
 */
export function hasOwnWork(facts: {
  tip: string;
  createdAt: string | null;
  madeCommits: boolean;
  onFirstParent: boolean;
}): boolean {
  if (facts.madeCommits) return true;
  return !facts.onFirstParent && facts.tip !== facts.createdAt;
}

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
    const work = branch
      ? reflogWork(await reflog(cwd, `refs/heads/${branch}`))
      : { createdAt: null, madeCommits: false };
    const onFirstParent = await onFirstParentLine(cwd, head, baseCommit);
    return hasOwnWork({ tip: head, ...work, onFirstParent })
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
