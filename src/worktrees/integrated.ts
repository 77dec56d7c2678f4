import { UsageError } from '../errors.js';
import { cherry, isAncestor, mergeTrees, treeOf, type CherryCounts } from '../git/index.js';

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
  { status: 'integrated'; how: IntegrationKind } | { status: 'not-integrated'; unpicked: number };

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
