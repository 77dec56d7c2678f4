import { UsageError } from '../errors.js';
import {
  mergeCommitsIn,
  mergeTrees,
  rebasePicks,
  scratchCommit,
  treeOf,
  treeDiffPaths,
} from '../git/index.js';

/**
 * What a rebase or merge would do, worked out in git's object store alone (`git merge-tree
 * --write-tree`), before anything is started in the worktree: a sync that would conflict is not
 * started, so no abort ever has to put files back.
 *
 * A rebase is forecast pick by pick, as git makes it: each commit git would replay (rebasePicks)
 * is merged onto the tree so far with its parent as the merge base, which is what cherry-pick
 * does. merge-tree takes the merge base from history, so the tree so far is wrapped in a scratch
 * commit whose parent is the picked commit's parent.
 */

/** A commit of the branch as a rebase would replay it: the commit, and the tree it gets there. */
export interface ReplayedPick {
  commit: string;
  tree: string;
}

export type Forecast =
  | {
      status: 'clean';
      /** The tree the operation would leave. */
      tree: string;
      /**
       * For a rebase, the commits it would make, in order: each replayed commit with its new
       * tree, without those that become empty (git drops them). Empty for a merge. What a part
       * no worktree has checked out is restacked with (src/sync/branch-only.ts).
       */
      picks: ReplayedPick[];
    }
  | {
      status: 'conflict';
      files: string[];
      /** The commit whose pick conflicts (rebase). */ commit: string | null;
    }
  /** git older than 2.38 cannot forecast; the operation runs unforeseen. */
  | { status: 'unknown' };

export async function forecastIntegration(
  cwd: string,
  strategy: 'rebase' | 'merge',
  head: string,
  base: string,
  upstream: string | null = null,
): Promise<Forecast> {
  try {
    return strategy === 'rebase'
      ? await forecastRebase(cwd, head, base, upstream)
      : await forecastMergeOf(cwd, head, base);
  } catch (error) {
    if (error instanceof UsageError) return { status: 'unknown' };
    throw error;
  }
}

async function forecastMergeOf(cwd: string, head: string, base: string): Promise<Forecast> {
  const merge = await mergeTrees(cwd, head, base);
  return merge.clean
    ? { status: 'clean', tree: merge.tree, picks: [] }
    : { status: 'conflict', files: merge.files, commit: null };
}

async function forecastRebase(
  cwd: string,
  head: string,
  onto: string,
  upstream: string | null,
): Promise<Forecast> {
  // `rebase --onto <onto> <upstream>` replays what `rebase <upstream>` would, onto `onto`.
  const picks = await rebasePicks(cwd, upstream ?? onto, head);
  const trees = new Map(picks.map((p) => [p.commit, p.tree]));
  let tree = await treeOf(cwd, onto);
  const replayed: ReplayedPick[] = [];
  for (const pick of picks) {
    const parent = pick.parents[0];
    // A root commit has nothing to pick against (unrelated histories are skipped before).
    if (pick.parents.length !== 1 || parent === undefined) return { status: 'unknown' };
    const parentTree = trees.get(parent) ?? (await treeOf(cwd, parent));
    if (parentTree === tree) {
      // Picking onto the tree the commit was made on: its own tree, no merge needed.
      tree = pick.tree;
      replayed.push({ commit: pick.commit, tree });
      continue;
    }
    const merged = await mergeTrees(cwd, await scratchCommit(cwd, tree, parent), pick.commit);
    if (!merged.clean) return { status: 'conflict', files: merged.files, commit: pick.commit };
    // A commit that changed something, and changes nothing here, is dropped; one that was empty
    // from the start is kept (git rebase's defaults).
    if (merged.tree !== tree || pick.tree === parentTree) {
      replayed.push({ commit: pick.commit, tree: merged.tree });
    }
    tree = merged.tree;
  }
  return { status: 'clean', tree, picks: replayed };
}

/**
 * A merge commit of the branch whose tree is not what git merges its parents into: a conflict
 * resolved by hand, or an edit made while merging. A rebase drops merge commits and with them
 * such changes. Null when there is none (merges that git redoes identically lose nothing).
 */
export async function changedMerge(
  cwd: string,
  base: string,
  head: string,
): Promise<{ commit: string; files: string[] } | null> {
  for (const merge of await mergeCommitsIn(cwd, base, head)) {
    const [first, second, ...more] = merge.parents;
    if (!first || !second || more.length > 0) return { commit: merge.commit, files: [] };
    const redone = await mergeTrees(cwd, first, second);
    if (!redone.clean || redone.tree !== merge.tree) {
      const files = redone.clean ? await treeDiffPaths(cwd, redone.tree, merge.tree) : redone.files;
      return { commit: merge.commit, files };
    }
  }
  return null;
}

/**
 * The files where `result` lacks changes `old` made since their merge base: merging `old` into
 * `result` would change them. Empty when `result` keeps every change of the branch, whatever
 * else it brings (the base's changes, a pick git found already in the base).
 */
export async function changesMissing(cwd: string, old: string, result: string): Promise<string[]> {
  const merged = await mergeTrees(cwd, result, old);
  if (!merged.clean) return merged.files;
  return treeDiffPaths(cwd, await treeOf(cwd, result), merged.tree);
}

/**
 * changesMissing for a `rebase --onto <onto> <upstream>`: only the changes `old` made after
 * `upstream` (an ancestor of `old`) must be in `result`; those of the commits below it (an old
 * parent's, left behind on purpose) need not be. `result` is made a child of `upstream` in a
 * scratch commit, so that merge-tree takes `upstream` for the merge base.
 */
async function changesMissingSince(
  cwd: string,
  old: string,
  result: string,
  upstream: string,
): Promise<string[]> {
  const tree = await treeOf(cwd, result);
  const merged = await mergeTrees(cwd, await scratchCommit(cwd, tree, upstream), old);
  if (!merged.clean) return merged.files;
  return treeDiffPaths(cwd, tree, merged.tree);
}

/** The files where a rebase's result lacks changes of the branch (its own, for a part). */
export function missingAfterRebase(
  cwd: string,
  before: string,
  result: string,
  upstream: string | null,
): Promise<string[]> {
  return upstream === null
    ? changesMissing(cwd, before, result)
    : changesMissingSince(cwd, before, result, upstream);
}
