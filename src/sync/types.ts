import type { ClaimSummary } from '../claims/record.js';
import type { OperationKind } from '../git/index.js';
import type { Repo } from '../repo.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';

/** The shapes of a sync: its options, each worktree's result, the report. */

export type SyncStrategy = 'rebase' | 'merge';
export type SyncOutcome = 'updated' | 'up-to-date' | 'skipped' | 'conflict' | 'failed';
export type SkipCode =
  | 'missing'
  | 'busy'
  | 'claimed'
  | 'operation'
  | 'detached'
  | 'unborn'
  | 'branch-deleted'
  | 'dirty'
  /** The branch is checked out in another worktree too (git worktree add -f). */
  | 'shared-branch'
  /** No merge base with the base (an orphan branch such as gh-pages). */
  | 'unrelated'
  /** Rebase only: a merge commit of the branch has changes of its own, which a rebase drops. */
  | 'merge-commits'
  /** Rebase only: the rebased branch would lack some of its changes (see changesMissing). */
  | 'drops-changes'
  /** A part of a stack whose parent branch is gone unmerged: nothing tells what to bring in. */
  | 'parent-gone';

export interface SyncResult {
  name: string;
  path: string;
  branch: string | null;
  status: SyncOutcome;
  /** HEAD before and after (after is null when nothing ran, or in a dry run). */
  before: string | null;
  after: string | null;
  /** Why it was skipped, failed or conflicted, with what to do next; null when all went well. */
  reason: string | null;
  /** Machine-readable skip reason, null unless skipped. */
  skip: SkipCode | null;
  /** The operation found in progress (skip code 'operation'), else null. */
  operation: OperationKind | null;
  /** Files that conflicted (status 'conflict'). */
  conflicts: string[];
  /**
   * What this sync found of an operation an earlier sync started and could not end (it was
   * killed, or git outlived it), and did about it before syncing; null when there was none.
   */
  recovered: string | null;
  /**
   * For a part of a stack (`tmc-orch split --apply`): what it was synced onto (its parent, or
   * once that is in the base, the next branch down or the base), its recorded parent now (null:
   * the base) and before. null for a branch outside any stack.
   */
  stack: { onto: string; parent: string | null; previousParent: string } | null;
}

export interface SyncSummary {
  updated: number;
  upToDate: number;
  skipped: number;
  conflict: number;
  failed: number;
}

export interface SyncReport {
  base: string;
  baseCommit: string | null;
  strategy: SyncStrategy;
  dryRun: boolean;
  /** Whether this process ran git fetch (false when a concurrent sync's fetch served it). */
  fetched: boolean;
  /** Things the user must know that concern no one worktree (e.g. the remote could not be fetched). */
  warnings: string[];
  results: SyncResult[];
  summary: SyncSummary;
}

export interface SyncOptions {
  /** 'current' (default): the worktree the command runs in; 'all'; or worktree names. */
  targets?: 'current' | 'all' | readonly string[];
  strategy?: SyncStrategy;
  dryRun?: boolean;
  /** The acting agent: worktrees claimed by anyone else are skipped. */
  agent: string;
  claimOf?: (worktree: WorktreeInfo) => Promise<ClaimSummary | null>;
  /** Called after each worktree, e.g. to write one status-log entry per worktree. */
  onResult?: (
    result: SyncResult,
    context: { base: string; strategy: SyncStrategy; dryRun: boolean; done: number; total: number },
  ) => Promise<void> | void;
  /** Called when another process's fetch is being waited for. */
  onFetchWait?: () => void;
}

/** What every step of one sync run shares. */
export interface SyncContext {
  repo: Repo;
  base: string;
  baseCommit: string;
  strategy: SyncStrategy;
  dryRun: boolean;
  options: SyncOptions;
  /** Every worktree of the repository, as listed before the first one was synced. */
  all: readonly WorktreeInfo[];
}

/** Up to five file names, then "…". */
export function listFiles(files: readonly string[]): string {
  return `${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}`;
}
