import {
  operationInProgress,
  worktreeGitDir,
  type DirtyCounts,
  type OperationKind,
} from '../git/index.js';
import type { IntegrationKind } from '../worktrees/integrated.js';
import type { WorktreeInfo } from '../worktrees/worktrees.js';
import { readMarker } from '../sync/marker.js';
import type { ClaimSummary } from '../claims/record.js';
import type { LineCount } from '../linecount/cache.js';

/**
 * One row of the dashboard: a worktree and what is known of it. Its own git state (uncommitted
 * work, an operation in progress) and what the providers say (claim, newest log entry) are read
 * here; the other fields are filled in by status.ts from the commit graph, the integration check,
 * the line counts and the conflict forecast.
 */

/** The newest status-log entry of a worktree, passed through as the log module returns it. */
type LogEntryInfo = Record<string, unknown>;

export interface StatusProviders {
  /** `all`: every worktree, as status listed them (for the claims' bindings). */
  claimOf?: (worktree: WorktreeInfo, all: readonly WorktreeInfo[]) => Promise<ClaimSummary | null>;
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
  /**
   * The parent recorded for this worktree's branch when that branch is gone (deleted, often once
   * merged): the PR is then counted against the base, as `lines` counts it. Else null.
   */
  goneParent: string | null;
  claim: ClaimStatus | null;
  /** Commits on this worktree's HEAD not in the base, and the other way round; null when unborn. */
  ahead: number | null;
  behind: number | null;
  /** Uncommitted work; null when the folder is missing. */
  dirty: DirtyCounts | null;
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

export function newRow(wt: WorktreeInfo): WorktreeStatus {
  return {
    name: wt.name,
    path: wt.path,
    main: wt.main,
    branch: wt.branch,
    head: wt.head,
    parent: null,
    goneParent: null,
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
export async function readProvided(
  row: WorktreeStatus,
  wt: WorktreeInfo,
  all: readonly WorktreeInfo[],
  providers: StatusProviders,
  now: Date,
): Promise<void> {
  const [claim, lastLog] = await Promise.all([
    providers.claimOf?.(wt, all) ?? null,
    providers.lastLogOf?.(wt) ?? null,
  ]);
  if (claim) row.claim = { ...claim, age: ageSeconds(claim.since, now) };
  row.lastLog = lastLog;
}

/**
 * Uncommitted work and the operation in progress: the worktree's `git status` (`counts`, started
 * with all the others; none for a worktree whose folder is gone) and a few file reads.
 */
export async function readGitState(
  row: WorktreeStatus,
  wt: WorktreeInfo,
  counts: Promise<DirtyCounts> | undefined,
): Promise<void> {
  if (wt.prunable !== null || counts === undefined) {
    row.problem = `folder missing (${wt.prunable || 'prunable'}); run tmc-orch worktree prune`;
    return;
  }
  const dirty = counts.catch((error: unknown) => {
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
