import {
  changedFilesBatch,
  dirtyCounts,
  type ChangedFile,
  type MergeForecast,
  forecastMerge,
  mergeBaseOctopus,
  operationInProgress,
  refCommits,
  revListGraph,
  treeOf,
  worktreeGitDir,
  type OperationKind,
} from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { defaultConcurrency, mapLimit } from '../util/concurrency.js';
import { integration, type IntegrationKind } from '../worktrees/integrated.js';
import { worktrees, type WorktreeInfo } from '../worktrees/worktrees.js';
import { readMarker } from '../sync/marker.js';
import { repoStack, type StackEntry } from '../stack/record.js';
import { fetchBase } from '../sync/fetch-once.js';
import type { ClaimSummary } from '../claims/record.js';
import type { LineCount } from '../linecount/cache.js';
import { planForecast } from './forecast.js';
import { StatusMemo } from './memo.js';
import { CommitGraph } from './graph.js';

/**
 * The most merges (`git merge-tree`) the conflict forecast runs for pairs of worktrees; beyond,
 * the paths most pairs share are grouped by file (see forecast.ts).
 */
const FORECAST_BUDGET = 100;

/**
 * The data of `tmc-orch status`. Claims, PR line counts and the status log come from other
 * modules through injected providers; a missing provider yields null fields, never a guess.
 */

/** The newest status-log entry of a worktree, passed through as the log module returns it. */
type LogEntryInfo = Record<string, unknown>;

export interface StatusProviders {
  claimOf?: (worktree: WorktreeInfo) => Promise<ClaimSummary | null>;
  /**
   * Called only for worktrees with commits beyond the base, once ahead/behind is known.
   * `against`: the commit the PR is measured from (the base, or a stacked branch's parent).
   */
  linesOf?: (
    worktree: { name: string; head: string | null },
    against: string,
  ) => Promise<LineCount | null>;
  lastLogOf?: (worktree: WorktreeInfo) => Promise<LogEntryInfo | null>;
}

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

interface ClaimStatus extends ClaimSummary {
  /** Seconds since the claim was taken. */
  age: number;
}

interface WorktreeFiles {
  name: string;
  files: string[];
}

interface ConflictStatus {
  /** Files that would conflict when the base is merged in. */
  withBase: string[];
  /** Other worktrees whose branch would conflict with this one, with the files. */
  withWorktrees: WorktreeFiles[];
  /** Other worktrees whose branch changes some of the same files, even where git merges cleanly. */
  overlap: WorktreeFiles[];
  /**
   * Files this branch changes that so many other worktrees change too that forecasting every
   * pair would pass the budget of merges: those pairs are grouped by file, not forecast one by
   * one (the report's warnings say so).
   */
  crowded: string[];
}

export interface WorktreeStatus {
  name: string;
  path: string;
  main: boolean;
  branch: string | null;
  head: string | null;
  /**
   * The branch this worktree's PR is against when its branch is part of a stack (`tmc-orch split
   * --apply`), else null: its PR is against the base.
   */
  parent: string | null;
  claim: ClaimStatus | null;
  /** Commits on this worktree's HEAD not in the base, and the other way round; null when unborn. */
  ahead: number | null;
  behind: number | null;
  /** Uncommitted work; null when the folder is missing. */
  dirty: { staged: number; unstaged: number; untracked: number; unmerged: number } | null;
  operation: OperationKind | null;
  /**
   * Who started the operation in progress, when tmc-orch knows: 'tmc-orch-sync' for a sync's own
   * rebase or merge, which the next sync finishes or undoes; null otherwise.
   */
  operationOwner: 'tmc-orch-sync' | null;
  lines: number | null;
  withinLimit: boolean | null;
  lastLog: LogEntryInfo | null;
  /**
   * How the branch reached the base (see src/worktrees/integrated.ts): its work is done and
   * `worktree clean` may remove it. null for the main worktree, a detached HEAD, a branch still
   * at the base's own commit, and a branch that is not integrated.
   */
  integrated: IntegrationKind | null;
  /** null with --no-conflicts. */
  conflicts: ConflictStatus | null;
  /** Why a field could not be read (missing folder...), else null. */
  problem: string | null;
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
    const result = await fetchBase(repo);
    fetched = result.fetched;
    warnings.push(...result.warnings);
  }
  const [list, { base, baseCommit }, stack] = await Promise.all([
    worktrees(repo),
    resolveBase(repo),
    repoStack(repo),
  ]);

  // Every worktree's git status starts first (the slowest part); the commit graph (two
  // processes), claims and the log are read meanwhile.
  const tips = [...new Set(list.map((w) => w.head).filter((h): h is string => h !== null))];
  const step = counter(options.onProgress, 'read', list.length, 'worktrees');
  const rows = list.map(newRow);
  const [graph] = await Promise.all([
    buildGraph(repo, tips, baseCommit, memo),
    mapLimit(list, limit, async (wt, i) =>
      readGitState(rows[i] as WorktreeStatus, wt).finally(step),
    ),
    Promise.all(list.map((wt, i) => readProvided(rows[i] as WorktreeStatus, wt, options, now))),
  ]);
  for (const row of rows) row.parent = row.branch ? (stack.get(row.branch)?.parent ?? null) : null;
  const parentCommits = await stackParentCommits(repo, rows);
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

  if (options.conflicts !== false && baseCommit && graph) {
    options.onProgress?.('forecasting conflicts…');
    const crowded = await addConflicts(repo, rows, graph, baseCommit, limit, stack, memo);
    if (crowded.length > 0) warnings.push(crowdedWarning(crowded));
  }
  return { base, baseCommit, fetched, warnings, worktrees: rows };
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

/**
 * Marks the branches already integrated into the base. A branch with no commit beyond the base
 * costs two processes (its reflog and first-parent line: did it have work of its own?); the others
 * two each (cherry, merge-tree), and the base's tree one for all.
 */
async function addIntegration(
  repo: Repo,
  rows: WorktreeStatus[],
  baseCommit: string,
  limit: number,
  memo: StatusMemo,
): Promise<void> {
  const candidates = rows.filter(
    (row) => !row.main && row.branch && row.head && row.head !== baseCommit && row.ahead !== null,
  );
  // The base's tree, asked once for every branch (and only if one needs it).
  let tree: Promise<string> | undefined;
  const baseTree = () => (tree ??= treeOf(repo.toplevel, baseCommit));
  await mapLimit(candidates, limit, async (row) => {
    const key = `${row.head} ${baseCommit}`;
    const found = await memo.integrations.get(key, () =>
      // The graph says whether the head is in the base (no commit beyond it); a head that is
      // counts only with work of its own (a new branch the base moved past has none).
      integration(repo.toplevel, row.head as string, baseCommit, {
        ancestor: row.ahead === 0,
        baseTree,
        branch: row.branch as string,
      }).catch(() => {
        memo.integrations.delete(key);
        return null;
      }),
    );
    if (found?.status === 'integrated') row.integrated = found.how;
  });
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

function newRow(wt: WorktreeInfo): WorktreeStatus {
  return {
    name: wt.name,
    path: wt.path,
    main: wt.main,
    branch: wt.branch,
    head: wt.head,
    parent: null,
    claim: null,
    ahead: null,
    behind: null,
    dirty: null,
    operation: null,
    operationOwner: null,
    lines: null,
    withinLimit: null,
    lastLog: null,
    integrated: null,
    conflicts: null,
    problem: null,
  };
}

/** The claim and the newest log entry of a worktree, from the providers. */
async function readProvided(
  row: WorktreeStatus,
  wt: WorktreeInfo,
  providers: StatusProviders,
  now: Date,
): Promise<void> {
  const [claim, lastLog] = await Promise.all([
    providers.claimOf?.(wt) ?? null,
    providers.lastLogOf?.(wt) ?? null,
  ]);
  if (claim) row.claim = { ...claim, age: ageSeconds(claim.since, now) };
  row.lastLog = lastLog;
}

/** Uncommitted work and the operation in progress: one `git status` and a few file reads. */
async function readGitState(row: WorktreeStatus, wt: WorktreeInfo): Promise<void> {
  if (wt.prunable !== null) {
    row.problem = `folder missing (${wt.prunable || 'prunable'}); run tmc-orch worktree prune`;
    return;
  }
  const dirty = dirtyCounts(wt.path, { untracked: 'normal' }).catch((error: unknown) => {
    row.problem = error instanceof Error ? error.message : String(error);
    return null;
  });
  const gitDir = await worktreeGitDir(wt.path);
  const operation = gitDir ? await operationInProgress(gitDir) : null;
  row.dirty = await dirty;
  row.operation = operation;
  if (operation && gitDir && (await readMarker(gitDir))?.operation === operation) {
    row.operationOwner = 'tmc-orch-sync';
  }
}

function ageSeconds(since: string, now: Date): number {
  const t = Date.parse(since);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.round((now.getTime() - t) / 1000));
}

/** changedFilesBatch for the pairs no earlier status of `memo` read: one process, or none. */
async function changedFiles(
  cwd: string,
  pairs: readonly { commit: string; base: string }[],
  memo: StatusMemo,
): Promise<ChangedFile[][]> {
  const key = (p: { commit: string; base: string }) => `${p.commit} ${p.base}`;
  const missing = pairs.filter((p) => !memo.changes.has(key(p)));
  const read = await changedFilesBatch(cwd, missing);
  missing.forEach((p, i) => memo.changes.get(key(p), () => read[i] ?? []));
  return pairs.map((p) => memo.changes.get(key(p), () => []));
}

/** What the forecast says of files it grouped instead of merging every pair that changes them. */
function crowdedWarning(crowded: readonly { path: string; worktrees: number }[]): string {
  const shown = crowded
    .slice(0, 5)
    .map((c) => `${c.path} (${c.worktrees} worktrees)`)
    .join(', ');
  const more = crowded.length > 5 ? ` and ${crowded.length - 5} more` : '';
  return `conflict forecast grouped by file: ${shown}${more} changed by too many worktrees to merge every pair (budget: ${FORECAST_BUDGET} merges); merge their branches one at a time and watch for conflicts there`;
}

/**
 * What decides a merge with a worktree's branch: its tree, as its merge base with the base and the
 * blobs it changes from there. Two branches with the same key hold the same tree.
 */
function treeKey(mergeBase: string, changes: readonly ChangedFile[]): string {
  const sorted = changes.map((c) => `${c.mode} ${c.blob} ${c.path}`).sort();
  return [mergeBase, ...sorted].join('\0');
}

/**
 * Conflict forecasts without touching any worktree. Files changed by each branch since its merge
 * base with the base, with their blobs, come from one `git diff-tree --stdin`; `git merge-tree`
 * then runs only for pairs that change a common path (or a file and a folder of the same name),
 * since two branches touching disjoint paths merge cleanly, and at most FORECAST_BUDGET of them
 * (forecast.ts groups the rest by file). A merge is keyed by what decides it (both trees and their
 * merge base), so identical pairs, in this status or an earlier one of `forecasts`, merge once.
 * (A directory renamed on one side while the other adds a file in it is the one textual conflict
 * this can miss.) Returns the grouped paths, with how many worktrees change each.
 */
async function addConflicts(
  repo: Repo,
  rows: WorktreeStatus[],
  graph: CommitGraph,
  baseCommit: string,
  limit: number,
  stack: ReadonlyMap<string, StackEntry>,
  memo: StatusMemo,
): Promise<{ path: string; worktrees: number }[]> {
  const cwd = repo.toplevel;
  for (const row of rows) {
    row.conflicts = { withBase: [], withWorktrees: [], overlap: [], crowded: [] };
  }

  // Only branches with commits of their own can conflict with anything.
  const active = rows.filter((r) => r.head && (r.ahead ?? 0) > 0);
  const mergeBases = active.map((r) => graph.mergeBase(r.head as string, baseCommit));
  const pairs: { commit: string; base: string }[] = [];
  const branchPair = new Map<WorktreeStatus, number>();
  const basePair = new Map<WorktreeStatus, number>();
  active.forEach((r, i) => {
    const mb = mergeBases[i];
    if (!mb) return;
    branchPair.set(r, pairs.push({ commit: r.head as string, base: mb }) - 1);
    if ((r.behind ?? 0) > 0) basePair.set(r, pairs.push({ commit: baseCommit, base: mb }) - 1);
  });
  const changed = await changedFiles(cwd, pairs, memo);
  const changesOf = (r: WorktreeStatus) => changed[branchPair.get(r) ?? -1] ?? [];
  const filesOf = (r: WorktreeStatus) => changesOf(r).map((c) => c.path);
  const keys = new Map(active.map((r, i) => [r, treeKey(mergeBases[i] ?? '', changesOf(r))]));
  const forecast = (key: string, ours: string, theirs: string): Promise<MergeForecast> => {
    const made = memo.forecasts.get(key, () => forecastMerge(cwd, ours, theirs));
    // A failed merge is not an answer to keep.
    made.catch(() => memo.forecasts.delete(key));
    return made;
  };

  const jobs: (() => Promise<void>)[] = [];
  for (const r of active) {
    const baseIndex = basePair.get(r);
    if (baseIndex === undefined) continue;
    const baseFiles = (changed[baseIndex] ?? []).map((c) => c.path);
    if (touchSamePaths(filesOf(r), baseFiles).length === 0) continue;
    const key = `base\0${baseCommit}\0${keys.get(r) ?? ''}`;
    jobs.push(async () => {
      const result = await forecast(key, r.head as string, baseCommit);
      if (!result.clean && r.conflicts) r.conflicts.withBase = result.files;
    });
  }

  const plan = planForecast(active.map(filesOf), FORECAST_BUDGET, (i, j) => {
    const a = active[i] as WorktreeStatus;
    const b = active[j] as WorktreeStatus;
    // A part of a stack holds the parts below it: that is how it was built, not an overlap.
    return a.head === b.head || stackedOn(stack, a, b) || stackedOn(stack, b, a);
  });
  for (const [i, j] of plan.pairs) {
    const a = active[i] as WorktreeStatus;
    const b = active[j] as WorktreeStatus;
    const bFiles = new Set(filesOf(b));
    const common = filesOf(a)
      .filter((f) => bFiles.has(f))
      .sort();
    if (common.length > 0) {
      a.conflicts?.overlap.push({ name: b.name, files: common });
      b.conflicts?.overlap.push({ name: a.name, files: common });
    }
    const sides = [keys.get(a) ?? '', keys.get(b) ?? ''].sort();
    const key = `pair\0${graph.mergeBase(a.head as string, b.head as string) ?? ''}\0${sides.join('\0\0')}`;
    jobs.push(async () => {
      const result = await forecast(key, a.head as string, b.head as string);
      if (result.clean) return;
      a.conflicts?.withWorktrees.push({ name: b.name, files: result.files });
      b.conflicts?.withWorktrees.push({ name: a.name, files: result.files });
    });
  }
  for (const { path, members } of plan.crowded) {
    for (const m of members) active[m]?.conflicts?.crowded.push(path);
  }
  await mapLimit(jobs, limit, (job) => job());
  for (const row of rows) row.conflicts?.withWorktrees.sort((x, y) => x.name.localeCompare(y.name));
  return plan.crowded.map((c) => ({ path: c.path, worktrees: c.members.length }));
}

/** Whether `upper`'s branch is stacked, through its parents, on `lower`'s branch. */
function stackedOn(
  stack: ReadonlyMap<string, StackEntry>,
  upper: WorktreeStatus,
  lower: WorktreeStatus,
): boolean {
  const seen = new Set<string>();
  for (let p = upper.parent; p !== null && !seen.has(p); p = stack.get(p)?.parent ?? null) {
    if (p === lower.branch) return true;
    seen.add(p);
  }
  return false;
}

/**
 * Paths of `a` that `b` also touches, or that are a folder of / inside a file of `b` (a
 * file/directory conflict). Sorted.
 */
export function touchSamePaths(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === 0 || b.length === 0) return [];
  const other = new Set(b);
  const dirsOf = (files: readonly string[]) => {
    const dirs = new Set<string>();
    for (const f of files) {
      for (let i = f.indexOf('/'); i !== -1; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
    }
    return dirs;
  };
  const otherDirs = dirsOf(b);
  const mineDirs = dirsOf(a);
  const result = new Set<string>();
  for (const f of a) if (other.has(f) || otherDirs.has(f)) result.add(f);
  for (const f of b) if (mineDirs.has(f)) result.add(f);
  return [...result].sort();
}
