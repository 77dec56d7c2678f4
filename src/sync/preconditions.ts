import {
  dirtyCounts,
  headHasHistory,
  isAncestor,
  isDirty,
  mergeBaseOctopus,
  operationHint,
  operationInProgress,
  scratchCommit,
  type DirtyCounts,
  type OperationKind,
} from '../git/index.js';
import type { ClaimSummary } from '../claims/record.js';
import { describeChanges } from '../worktrees/worktrees.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';
import {
  changedMerge,
  forecastIntegration,
  missingAfterRebase,
  type Forecast,
} from './forecast.js';
import { readMarker } from './marker.js';
import type { SyncTarget } from './restack.js';
import type { SkipCode, SyncContext } from './types.js';
import { formatTime, shortId, shortList } from '../ui/format.js';
import { systemClock } from '../util/clock.js';

/** The reasons not to sync a worktree, each with what to do about it. */

export interface Blocked {
  code: SkipCode;
  reason: string;
  operation?: OperationKind;
}

/**
 * What the checks before any git process decide on: the claim, the operation in progress (and
 * whether a sync of ours started it), the other worktrees on the same branch, and, for a branch
 * with no commit, whether HEAD has history (its branch was deleted) or not (unborn).
 */
export interface WorktreeFacts {
  claim: ClaimSummary | null;
  operation: { kind: OperationKind; ours: boolean } | null;
  /** The paths of the other worktrees that have the same branch checked out. */
  twins: readonly string[];
  headHasHistory: boolean;
}

/** Each reason not to touch a worktree, checked in order; null when it may be synced. */
export async function precondition(
  wt: WorktreeInfo,
  gitDir: string,
  ctx: SyncContext,
): Promise<Blocked | null> {
  const claim = (await ctx.options.claimOf?.(wt)) ?? null;
  const now = (ctx.options.now ?? systemClock)();
  // Files in the git dir, no process: read whatever the decision below may ask.
  const operation = await operationInProgress(gitDir);
  const facts: WorktreeFacts = {
    claim,
    operation: operation && {
      kind: operation,
      ours: (await readMarker(gitDir))?.operation === operation,
    },
    twins: ctx.all.filter((o) => o.branch === wt.branch && o.path !== wt.path).map((o) => o.path),
    headHasHistory: wt.head === null && (await headHasHistory(gitDir)),
  };
  // git status, the one process, last: most worktrees pass everything above.
  return (
    blockedBefore(wt, ctx.options.agent, facts, now) ??
    blockedByChanges(wt, await dirtyCounts(wt.path))
  );
}

/** The reasons not to sync a worktree that its facts give, in order; null when none does. */
export function blockedBefore(
  wt: Pick<WorktreeInfo, 'name' | 'path' | 'branch' | 'head'>,
  agent: string,
  facts: WorktreeFacts,
  now: Date,
): Blocked | null {
  const { claim, operation, twins } = facts;
  if (claim && claim.agent !== agent) {
    return {
      code: 'claimed',
      reason: `claimed by ${claim.agent} since ${formatTime(claim.since, now)}${claim.stale ? ' (stale)' : ''}${claim.task ? ` (task: ${claim.task})` : ''}; ask them to sync it`,
    };
  }
  if (operation) {
    return {
      code: 'operation',
      operation: operation.kind,
      reason: operation.ours
        ? `a ${operation.kind} started by tmc-orch sync is in progress; run tmc-orch sync ${wt.name} (not a dry run) to finish or undo it without losing changes made meanwhile`
        : `a ${operation.kind} is in progress; ${operationHint(operation.kind, wt.path)}, then sync again`,
    };
  }
  if (wt.branch === null) {
    return {
      code: 'detached',
      reason: `HEAD is detached${wt.head ? ` at ${shortId(wt.head)}` : ''}; check out a branch (git -C ${wt.path} switch <branch>) and sync again`,
    };
  }
  const [twin] = twins;
  if (twin !== undefined) {
    return {
      code: 'shared-branch',
      reason: `its branch ${wt.branch} is checked out in ${twins.join(', ')} too, whose files would no longer match it; remove or switch the other worktree (git -C ${twin} switch <branch>) and sync again`,
    };
  }
  if (wt.head === null) {
    if (facts.headHasHistory) {
      return {
        code: 'branch-deleted',
        reason: `its branch ${wt.branch} no longer exists; recreate it (git -C ${wt.path} branch ${wt.branch} <commit>) or switch to another branch`,
      };
    }
    return {
      code: 'unborn',
      reason: `its branch ${wt.branch} has no commit yet; commit something first`,
    };
  }
  return null;
}

/** Uncommitted changes block a sync; untracked files alone do not (a rebase leaves them be). */
export function blockedByChanges(
  wt: Pick<WorktreeInfo, 'path'>,
  counts: DirtyCounts,
): Blocked | null {
  // Files in the way of the base are checked separately (integrate).
  const changes = { ...counts, untracked: 0 };
  if (!isDirty(changes)) return null;
  return {
    code: 'dirty',
    reason: `uncommitted changes (${describeChanges(changes)}); commit them (git -C ${wt.path} commit -a) and sync again`,
  };
}

/**
 * What the branch's history allows: already up to date, a reason not to sync it, or the
 * forecast of the operation (worked out in objects alone, see forecastIntegration).
 */
export async function branchShape(
  cwd: string,
  branch: string,
  head: string,
  target: SyncTarget,
  ctx: SyncContext,
): Promise<
  'up-to-date' | (Blocked & { status: 'blocked' }) | { status: 'go'; forecast: Forecast }
> {
  const blocked = (code: SkipCode, reason: string) => ({
    status: 'blocked' as const,
    code,
    reason,
  });
  if ((await mergeBaseOctopus(cwd, [head, target.commit])) === null) {
    return blocked(
      'unrelated',
      `its branch ${branch} has no history in common with ${target.name} (an orphan branch such as gh-pages), so there is nothing to ${ctx.strategy} onto; sync leaves it alone`,
    );
  }
  if (await isAncestor(cwd, target.commit, head)) return 'up-to-date';
  if (ctx.strategy === 'rebase') {
    const merge = await changedMerge(cwd, target.upstream ?? target.commit, head);
    if (merge) {
      return blocked(
        'merge-commits',
        `its branch has a merge commit with changes of its own (${shortId(merge.commit)}${merge.files.length > 0 ? `: ${shortList(merge.files)}` : ''}: a conflict resolved by hand or an edit made while merging), which a rebase would drop; sync it with --strategy merge`,
      );
    }
  }
  const forecast = await forecastIntegration(
    cwd,
    ctx.strategy,
    head,
    target.commit,
    target.upstream,
  );
  if (ctx.strategy === 'rebase' && forecast.status === 'clean') {
    const result = await scratchCommit(cwd, forecast.tree, target.commit);
    const missing = await missingAfterRebase(cwd, head, result, target.upstream);
    if (missing.length > 0) {
      return blocked(
        'drops-changes',
        `a rebase onto ${target.name} would drop changes of the branch in ${shortList(missing)} (git finds a commit of the branch already in ${target.name}, which has changed it since); sync it with --strategy merge`,
      );
    }
  }
  return { status: 'go', forecast };
}
