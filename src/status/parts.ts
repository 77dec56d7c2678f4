import { refCommits } from '../git/index.js';
import type { Repo } from '../repo.js';
import { stackOrder } from '../stack/order.js';
import type { StackEntry } from '../stack/record.js';
import { mapLimit } from '../util/concurrency.js';
import { heldBranches } from '../worktrees/held.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';
import type { CommitGraph } from './graph.js';
import type { StatusProviders } from './row.js';

/**
 * The parts of stacks that no worktree holds (`split --apply` without `--worktrees`, or parts
 * whose worktree was removed): the dashboard lists them after the worktrees, each with the branch
 * its PR is against and that PR's size, so a stack shows whole whichever of its parts have a
 * worktree. A part is a branch with a stack record, or the branch at the bottom of a stack that
 * a recorded part sits on (its PR is against the base). With no stack recorded this costs
 * nothing; otherwise one git process, then answers from the dashboard's commit graph and the
 * line-count cache.
 */

/** One part of a stack without a worktree, as `status --json` lists it under `parts`. */
export interface StackPartStatus {
  branch: string;
  head: string;
  /** The branch its PR is against; null: the base (the bottom of its stack). */
  parent: string | null;
  /** The recorded parent when that branch is gone (the PR is then counted against the base). */
  goneParent: string | null;
  /**
   * Commits on it not in its parent (the base when `parent` is null), and the other way round:
   * `behind` > 0 means its parent moved, and `sync --all` restacks it. null without a base commit.
   */
  ahead: number | null;
  behind: number | null;
  /** Its PR's counted lines, against its parent (as `lines` counts them). */
  lines: number | null;
  withinLimit: boolean | null;
  /** Why a field could not be read, else null. */
  problem: string | null;
}

/**
 * The parts no worktree holds, each with its head and the commit its PR is counted from (its
 * parent's; null: the base's), each stack bottom up.
 */
export async function findParts(
  repo: Repo,
  stack: ReadonlyMap<string, StackEntry>,
  list: readonly WorktreeInfo[],
): Promise<{ part: StackPartStatus; against: string | null }[]> {
  if (stack.size === 0) return [];
  const held = await heldBranches(list);
  // Recorded parts, then the branches at the bottom of their stacks (no record of their own).
  const bottoms = [...stack.values()].map((e) => e.parent).filter((p) => !stack.has(p));
  const names = [...new Set([...stack.keys(), ...bottoms])].filter(
    (b) => !held.has(b) && b !== repo.config.base,
  );
  const parents = names.flatMap((b) => (stack.has(b) ? [stack.get(b)!.parent] : []));
  const refs = [...new Set([...names, ...parents])].map((b) => `refs/heads/${b}`);
  const commits =
    refs.length === 0 ? new Map<string, string>() : await refCommits(repo.toplevel, refs);
  const commitOf = (branch: string) => commits.get(`refs/heads/${branch}`) ?? null;
  return stackOrder(
    names.map((branch) => ({ branch })),
    stack,
  ).flatMap(({ branch }) => {
    const head = commitOf(branch);
    if (head === null) return [];
    const recorded = stack.get(branch)?.parent ?? null;
    const against = recorded === null ? null : commitOf(recorded);
    const gone = recorded !== null && against === null;
    const part: StackPartStatus = {
      branch,
      head,
      parent: gone ? null : recorded,
      goneParent: gone ? recorded : null,
      ahead: null,
      behind: null,
      lines: null,
      withinLimit: null,
      problem: null,
    };
    return [{ part, against }];
  });
}

/** Fills in ahead/behind from the commit graph, and the PR lines from the provider. */
export async function countParts(
  parts: readonly { part: StackPartStatus; against: string | null }[],
  graph: CommitGraph,
  baseCommit: string,
  linesOf: StatusProviders['linesOf'],
  limit: number,
): Promise<void> {
  await mapLimit(parts, limit, async ({ part, against }) => {
    const from = against ?? baseCommit;
    const counts = graph.aheadBehind(part.head, from);
    part.ahead = counts.ahead;
    part.behind = counts.behind;
    if (!linesOf) return;
    // Nothing of its own beyond what its PR is against: a 0-line PR, no count needed.
    const info =
      counts.ahead === 0
        ? { lines: 0, withinLimit: true }
        : await linesOf({ name: part.branch, head: part.head }, from).catch((error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            part.problem = `PR lines not counted: ${message}`;
            return null;
          });
    if (info) {
      part.lines = info.lines;
      part.withinLimit = info.withinLimit;
    }
  });
}
