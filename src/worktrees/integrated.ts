import { UsageError } from '../errors.js';
import {
  cherry,
  isAncestor,
  mergeTrees,
  onFirstParentLine,
  reflog,
  treeOf,
  type CherryCounts,
  type ReflogEntry,
} from '../git/index.js';

/**
 * Whether a branch is "integrated" into the base, the ways hosts merge a pull request: merged or
 * fast-forwarded (its head is in the base), rebased (each of its commits has a patch-id twin in
 * the base) or squash-merged (merging it into the base changes nothing: its combined change is
 * already there). Deleting an integrated branch loses no change; a branch with one more commit
 * after its squash is not integrated, since that commit's change is in no base commit. The
 * answer errs towards "no": a later change of the base to the same lines makes a squashed branch
 * look unintegrated, never the other way round.
 */

export type IntegrationKind = 'merged' | 'rebased' | 'squashed';

export type Integration =
  | { status: 'integrated'; how: IntegrationKind }
  | { status: 'not-integrated'; unpicked: number }
  /** The base contains the head, but the branch never had work of its own (see hasOwnWork). */
  | { status: 'unstarted' };

/** What git answered about a branch and the base; the decision below is a function of it. */
export interface IntegrationFacts {
  /** The branch head is reachable from the base. */
  ancestor: boolean;
  /** The branch's commits against the base, by patch-id. */
  cherry: CherryCounts;
  /** Merging the branch into the base yields the base's own tree (null: not computed). */
  mergeIsNoop: boolean | null;
}

export function decideIntegration(facts: IntegrationFacts): Integration {
  if (facts.ancestor) return { status: 'integrated', how: 'merged' };
  if (facts.cherry.unpicked === 0 && facts.cherry.picked > 0) {
    return { status: 'integrated', how: 'rebased' };
  }
  if (facts.mergeIsNoop === true) return { status: 'integrated', how: 'squashed' };
  return { status: 'not-integrated', unpicked: facts.cherry.unpicked };
}

/**
 * What a caller asking about many branches already knows (status: its commit graph says which
 * heads are in the base; the base's tree is the same for all), to spare the processes.
 */
export interface KnownFacts {
  ancestor?: boolean;
  baseTree?: () => Promise<string>;
  /**
   * The branch `head` is the tip of, to tell a branch whose work landed from one nobody has
   * committed on yet (the base moved past it): the latter is `unstarted`. Without it, a head the
   * base contains is merged (enough to know that deleting it loses nothing).
   */
  branch?: string;
}

/**
 * Whether `head` is integrated into `baseCommit`. Object ids only, so no name can resolve two
 * ways. One process when the head is in the base, four otherwise (two with `known`).
 */
export async function integration(
  cwd: string,
  head: string,
  baseCommit: string,
  known: KnownFacts = {},
): Promise<Integration> {
  if (known.ancestor ?? (await isAncestor(cwd, head, baseCommit))) {
    if (
      known.branch !== undefined &&
      !(await branchHasOwnWork(cwd, head, baseCommit, known.branch))
    ) {
      return { status: 'unstarted' };
    }
    return decideIntegration(merged);
  }
  const baseTree = known.baseTree ?? (() => treeOf(cwd, baseCommit));
  const [counts, mergeIsNoop] = await Promise.all([
    cherry(cwd, baseCommit, head),
    mergeLeavesTree(cwd, baseCommit, head, baseTree),
  ]);
  return decideIntegration({ ancestor: false, cherry: counts, mergeIsNoop });
}

const merged: IntegrationFacts = {
  ancestor: true,
  cherry: { picked: 0, unpicked: 0 },
  mergeIsNoop: null,
};

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
 * For a tip the base contains: whether the branch had work of its own, so that its tip being in
 * the base means its work landed. A branch nobody has committed on is contained too (a new
 * worktree starts at the base). It has work when commits were made on it (its reflog says
 * "commit", "cherry-pick", …), or when the base reached its tip through a merge rather than along
 * its first-parent line (`onFirstParent` false), which is not where a branch is created.
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

/** hasOwnWork of `branch` (null: detached, no reflog), whose tip `head` the base contains. */
export async function branchHasOwnWork(
  cwd: string,
  head: string,
  baseCommit: string,
  branch: string | null,
): Promise<boolean> {
  const [entries, onFirstParent] = await Promise.all([
    branch ? reflog(cwd, `refs/heads/${branch}`) : Promise.resolve([]),
    onFirstParentLine(cwd, head, baseCommit),
  ]);
  return hasOwnWork({ tip: head, ...reflogWork(entries), onFirstParent });
}

/** Whether merging `head` into `baseCommit` gives the base's tree; null with git < 2.38. */
async function mergeLeavesTree(
  cwd: string,
  baseCommit: string,
  head: string,
  baseTree: () => Promise<string>,
): Promise<boolean | null> {
  try {
    const [result, tree] = await Promise.all([mergeTrees(cwd, baseCommit, head), baseTree()]);
    return result.clean && result.tree === tree;
  } catch (error) {
    // git < 2.38 has no merge-tree --write-tree: only merges and rebases are recognised.
    if (error instanceof UsageError) return null;
    throw error;
  }
}
