import {
  changedFilesBatch,
  forecastMerge,
  type ChangedFile,
  type MergeForecast,
} from '../git/index.js';
import type { Repo } from '../repo.js';
import { countedList } from '../ui/format.js';
import { mapLimit } from '../util/concurrency.js';
import type { StackEntry } from '../stack/record.js';
import { planForecast } from './forecast.js';
import type { StatusMemo } from './memo.js';
import type { CommitGraph } from './graph.js';
import type { WorktreeStatus } from './row.js';

/**
 * The most merges (`git merge-tree`) the conflict forecast runs for pairs of worktrees; beyond,
 * the paths most pairs share are grouped by file (see forecast.ts).
 */
const FORECAST_BUDGET = 100;

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
export function crowdedWarning(crowded: readonly { path: string; worktrees: number }[]): string {
  const shown = countedList(
    crowded.map((c) => `${c.path} (${c.worktrees} worktrees)`),
    5,
  );
  return `conflict forecast grouped by file: ${shown} changed by too many worktrees to merge every pair (budget: ${FORECAST_BUDGET} merges); merge their branches one at a time and watch for conflicts there`;
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
export async function addConflicts(
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
