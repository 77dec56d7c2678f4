import type { ClaimSummary } from '../claims/record.js';
import type { OperationKind } from '../git/index.js';
import type { Repo } from '../repo.js';
import type { Clock } from '../util/clock.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';

/** The shapes of a sync: its options, each worktree's result, the report. */

export type SyncStrategy = 'rebase' | 'merge';
export type SyncOutcome = SyncResult['status'];
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
  | 'parent-gone'
  /** Branch-only: the branch moved while sync worked out its restack (someone else's change). */
  | 'branch-moved'
  /** Branch-only: a worktree checked the branch out while sync worked out its restack. */
  | 'checked-out'
  /** Branch-only: the restack cannot be worked out in objects (git older than 2.38). */
  | 'needs-worktree';

/**
 * What a result is about: a worktree (synced in it), or a part of a stack that no worktree has
 * checked out (`sync --all` restacks its branch alone, in git's object store; see
 * branch-only.ts), which has no path.
 */
export type SyncSubject = { kind: 'worktree'; path: string } | { kind: 'branch'; path: null };

/**
 * What every result has, whatever its status: the worktree or branch, and what the sync found
 * on the way. The status-specific keys are in every variant too (null or empty where they do not
 * apply), so that each result of `sync --json` has the same keys in the same order; build results
 * with the constructors in result.ts, which keep that order.
 */
export type SyncResultBase = SyncSubject & SyncFacts;

interface SyncFacts {
  /** The worktree's name; for a branch-only result, the branch's. */
  name: string;
  branch: string | null;
  /** HEAD before the sync (the branch's commit, for a branch-only result). */
  before: string | null;
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

/** Brought onto the base; `after` is the new HEAD. */
export type SyncUpdated = SyncResultBase & {
  status: 'updated';
  after: string;
  reason: null;
  skip: null;
  operation: null;
  conflicts: [];
};

/** A dry run's "would update": nothing ran, so no `after`; `reason` says what would run. */
export type SyncWouldUpdate = SyncResultBase & {
  status: 'updated';
  after: null;
  reason: string;
  skip: null;
  operation: null;
  conflicts: [];
};

/** Nothing to bring in; `after` is HEAD, as before. */
export type SyncUpToDate = SyncResultBase & {
  status: 'up-to-date';
  after: string;
  reason: null;
  skip: null;
  operation: null;
  conflicts: [];
};

/** Not touched: `skip` says why for machines, `reason` for people, with what to do next. */
export type SyncSkipped = SyncResultBase & {
  status: 'skipped';
  after: null;
  reason: string;
  skip: SkipCode;
  /** The operation found in progress (skip code 'operation', or a killed sync's), else null. */
  operation: OperationKind | null;
  conflicts: [];
};

/**
 * Would conflict, or did and was aborted: the worktree is as before. `after` is HEAD when the
 * forecast stopped it before anything ran, null in a dry run or after an abort.
 */
export type SyncConflict = SyncResultBase & {
  status: 'conflict';
  after: string | null;
  reason: string;
  skip: null;
  operation: null;
  /** The files that conflicted. */
  conflicts: string[];
};

/**
 * Went wrong; `reason` says what and what to do next. `after` is HEAD when the sync knows it
 * (an operation that finished without some changes of the branch, or one never started),
 * `operation` the one left in progress, `conflicts` those of an operation whose undo failed.
 */
export type SyncFailed = SyncResultBase & {
  status: 'failed';
  after: string | null;
  reason: string;
  skip: null;
  operation: OperationKind | null;
  conflicts: string[];
};

/** One worktree's (or branch-only part's) result, by status. */
export type SyncResult =
  SyncUpdated | SyncWouldUpdate | SyncUpToDate | SyncSkipped | SyncConflict | SyncFailed;

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
  /**
   * 'current' (default): the worktree the command runs in; 'all' (every worktree, and the parts
   * of stacks no worktree has checked out); or worktree names.
   */
  targets?: 'current' | 'all' | readonly string[];
  strategy?: SyncStrategy;
  dryRun?: boolean;
  /** The acting agent: worktrees claimed by anyone else are skipped. */
  agent: string;
  claimOf?: (worktree: WorktreeInfo) => Promise<ClaimSummary | null>;
  /** The clock messages read times against (default: the system's). */
  now?: Clock;
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
