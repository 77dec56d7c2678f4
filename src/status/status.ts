import os from 'node:os';
import {
  dirtyCountsOfEach,
  listWorktrees,
  mergeBaseOctopus,
  refCommits,
  revListGraph,
  type DirtyCounts,
  type GitWorktree,
} from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { defaultConcurrency, mapLimit } from '../util/concurrency.js';
import { describeWorktrees } from '../worktrees/worktrees.js';
import { repoStack } from '../stack/record.js';
import { addConflicts, crowdedWarning } from './conflicts.js';
import { addIntegration } from './integration.js';
import { StatusMemo } from './memo.js';
import { CommitGraph } from './graph.js';
import { countParts, findParts, type StackPartStatus } from './parts.js';
import {
  newRow,
  readGitState,
  readProvided,
  type StatusProviders,
  type WorktreeStatus,
} from './row.js';

/**
 * The data of `tmc-orch status`. Claims, PR line counts and the status log come from other
 * modules through injected providers; a missing provider yields null fields, never a guess.
 * This module assembles it; a row and its own reads are in row.ts, whether a branch is integrated
 * in integration.ts, the conflict forecast in conflicts.ts.
 */

export interface StatusOptions extends StatusProviders {
  /** Compute conflict forecasts (default true). */
  conflicts?: boolean;
  /** Fetch `<remote> <base>` first; without it no network I/O happens. */
  fetch?: boolean;
  concurrency?: number;
  /** For claim ages; tests pass a fixed clock. */
  now?: Date;
  /** Told each step of the work as it starts, for progress display. */
  onProgress?: (step: string) => void;
  /**
   * What an earlier status found that still holds (answers keyed by commits): kept by the caller
   * from one status to the next (status --watch), a frame in which nothing moved is cheap.
   */
  memo?: StatusMemo;
}

export interface StatusReport {
  /** The ref worktrees are compared with, e.g. origin/main. */
  base: string;
  baseCommit: string | null;
  /** Whether this process ran git fetch (a concurrent or very recent fetch may have served it). */
  fetched: boolean;
  /** Things the user must know beyond the table (e.g. the remote could not be fetched). */
  warnings: string[];
  worktrees: WorktreeStatus[];
  /** The parts of stacks that no worktree holds, each with its parent and PR (see parts.ts). */
  parts: StackPartStatus[];
}

/** Gathers the dashboard: per worktree in parallel, with a bounded number of git processes. */
export async function gatherStatus(repo: Repo, options: StatusOptions = {}): Promise<StatusReport> {
  const limit = options.concurrency ?? defaultConcurrency();
  const now = options.now ?? new Date();
  const memo = options.memo ?? new StatusMemo();
  memo.nextFrame();
  let fetched = false;
  const warnings: string[] = [];
  if (options.fetch) {
    // Loaded only for --fetch: it brings the fetch lock (proper-lockfile) with it.
    const { fetchBase } = await import('../sync/fetch-once.js');
    const result = await fetchBase(repo);
    fetched = result.fetched;
    warnings.push(...result.warnings);
  }
  // Every worktree's git status starts as soon as the worktrees are known (the slowest part);
  // the base, the commit graph (two processes), claims and the log are read meanwhile. The graph
  // has the stack parts without a worktree, and their parents, too.
  const listing = listWorktrees(repo.commonDir);
  const counting = listing.then(startCounts);
  const [list, countsOf, { base, baseCommit }, stack] = await Promise.all([
    describeWorktrees(repo, listing),
    counting,
    resolveBase(repo),
    repoStack(repo),
  ]);

  const parts = await findParts(repo, stack, list);
  const partTips = parts.flatMap(({ part, against }) => [part.head, ...(against ? [against] : [])]);
  const heads = list.map((w) => w.head).filter((h): h is string => h !== null);
  const tips = [...new Set([...heads, ...partTips])];
  const step = counter(options.onProgress, 'read', list.length, 'worktrees');
  const rows = list.map(newRow);
  const [graph] = await Promise.all([
    buildGraph(repo, tips, baseCommit, memo),
    // No limit: the git processes are running already; these are a few file reads each.
    Promise.all(
      list.map((wt, i) =>
        readGitState(rows[i] as WorktreeStatus, wt, countsOf.get(wt.path)).finally(step),
      ),
    ),
    Promise.all(
      list.map((wt, i) => readProvided(rows[i] as WorktreeStatus, wt, list, options, now)),
    ),
  ]);
  for (const row of rows) row.parent = row.branch ? (stack.get(row.branch)?.parent ?? null) : null;
  const parentCommits = await stackParentCommits(repo, rows);
  for (const row of rows) {
    if (row.parent !== null && !parentCommits.has(row.parent)) {
      row.goneParent = row.parent;
      row.parent = null;
    }
  }
  if (graph && baseCommit) {
    for (const row of rows) {
      if (!row.head) continue;
      const counts = graph.aheadBehind(row.head, baseCommit);
      row.ahead = counts.ahead;
      row.behind = counts.behind;
    }
  }

  if (baseCommit) await addIntegration(repo, rows, baseCommit, limit, memo);

  // PR sizes need ahead/behind: a worktree with nothing beyond the base has a 0-line PR, and the
  // line count (six git processes) runs only for those that do.
  if (options.linesOf && baseCommit) {
    const linesOf = options.linesOf;
    const countable = rows.filter((row) => row.head && row.ahead !== null);
    const counted = counter(
      options.onProgress,
      'counted PR lines of',
      countable.length,
      'worktrees',
    );
    await mapLimit(countable, limit, async (row) => {
      // A part of a stack is measured against its parent (when that branch exists), as `lines`
      // measures it.
      const parent = row.parent !== null ? parentCommits.get(row.parent) : undefined;
      // One branch's bad .generated_files or unrelated history must not take the whole
      // dashboard down: that row says why it has no count.
      const info =
        (parent === undefined && row.ahead === 0) || parent === row.head
          ? { lines: 0, withinLimit: true }
          : await linesOf(row, parent ?? baseCommit).catch((error: unknown) => {
              const message = error instanceof Error ? error.message : String(error);
              row.problem = `PR lines not counted: ${message}`;
              return null;
            });
      counted();
      if (info) {
        row.lines = info.lines;
        row.withinLimit = info.withinLimit;
      }
    });
  }

  if (graph && baseCommit) {
    await countParts(parts, graph, baseCommit, options.linesOf, limit);
  }

  if (options.conflicts !== false && baseCommit && graph) {
    options.onProgress?.('forecasting conflicts…');
    const crowded = await addConflicts(repo, rows, graph, baseCommit, limit, stack, memo);
    if (crowded.length > 0) warnings.push(crowdedWarning(crowded));
  }
  const stackParts = parts.map((p) => p.part);
  return { base, baseCommit, fetched, warnings, worktrees: rows, parts: stackParts };
}

/**
 * Starts the `git status` of every worktree of git's listing whose folder is there, a few to a
 * process (one per core), before the listing is described: the answers by path.
 */
function startCounts(listing: readonly GitWorktree[]): Map<string, Promise<DirtyCounts>> {
  const present = listing.filter((wt) => !wt.bare && wt.prunable === null);
  const counts = dirtyCountsOfEach(
    present.map(({ path, head, branch }) => ({ path, head, branch })),
    { untracked: 'normal', processes: os.availableParallelism() },
  );
  return new Map(present.map((wt, i) => [wt.path, counts[i] as Promise<DirtyCounts>]));
}

/** The commits of the parent branches of stacked rows that exist, by branch; one process. */
async function stackParentCommits(
  repo: Repo,
  rows: readonly WorktreeStatus[],
): Promise<Map<string, string>> {
  const parents = [...new Set(rows.flatMap((r) => (r.parent !== null ? [r.parent] : [])))];
  if (parents.length === 0) return new Map();
  const found = await refCommits(
    repo.toplevel,
    parents.map((p) => `refs/heads/${p}`),
  );
  return new Map(
    parents.flatMap((p) => {
      const commit = found.get(`refs/heads/${p}`);
      return commit === undefined ? [] : [[p, commit] as const];
    }),
  );
}

/** A callback that reports "<verb> <n>/<total> <noun>" each time one more is done. */
function counter(
  report: ((step: string) => void) | undefined,
  verb: string,
  total: number,
  noun: string,
): () => void {
  let done = 0;
  return () => report?.(`${verb} ${++done}/${total} ${noun}`);
}

function buildGraph(
  repo: Repo,
  tips: readonly string[],
  baseCommit: string | null,
  memo: StatusMemo,
): Promise<CommitGraph | null> {
  if (!baseCommit) return Promise.resolve(null);
  const all = [...new Set([...tips, baseCommit])];
  const key = [...all].sort().join(' ');
  return memo.graphs.get(key, async () => {
    try {
      const common = await mergeBaseOctopus(repo.toplevel, all);
      return new CommitGraph(await revListGraph(repo.toplevel, all, common), common);
    } catch (error) {
      memo.graphs.delete(key);
      throw error;
    }
  });
}
