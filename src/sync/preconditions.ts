import {
  dirtyCounts,
  headHasHistory,
  isAncestor,
  isDirty,
  mergeBaseOctopus,
  operationHint,
  operationInProgress,
  scratchCommit,
  type OperationKind,
} from '../git/index.js';
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
import { listFiles, type SkipCode, type SyncContext } from './types.js';
import { shortId } from '../ui/format.js';

/** The reasons not to sync a worktree, each with what to do about it. */

export interface Blocked {
  code: SkipCode;
  reason: string;
  operation?: OperationKind;
}

/** Each reason not to touch a worktree, checked in order; null when it may be synced. */
export async function precondition(
  wt: WorktreeInfo,
  gitDir: string,
  ctx: SyncContext,
): Promise<Blocked | null> {
  const claim = (await ctx.options.claimOf?.(wt)) ?? null;
  if (claim && claim.agent !== ctx.options.agent) {
    return {
      code: 'claimed',
      reason: `claimed by ${claim.agent} since ${claim.since}${claim.stale ? ' (stale)' : ''}${claim.task ? ` (task: ${claim.task})` : ''}; ask them to sync it`,
    };
  }
  const operation = await operationInProgress(gitDir);
  if (operation) {
    const ours = (await readMarker(gitDir))?.operation === operation;
    return {
      code: 'operation',
      operation,
      reason: ours
        ? `a ${operation} started by tmc-orch sync is in progress; run tmc-orch sync ${wt.name} (not a dry run) to finish or undo it without losing changes made meanwhile`
        : `a ${operation} is in progress; ${operationHint(operation, wt.path)}, then sync again`,
    };
  }
  if (wt.branch === null) {
    return {
      code: 'detached',
      reason: `HEAD is detached${wt.head ? ` at ${shortId(wt.head)}` : ''}; check out a branch (git -C ${wt.path} switch <branch>) and sync again`,
    };
  }
  const twins = ctx.all.filter((o) => o.branch === wt.branch && o.path !== wt.path);
  if (twins.length > 0) {
    return {
      code: 'shared-branch',
      reason: `its branch ${wt.branch} is checked out in ${twins.map((o) => o.path).join(', ')} too, whose files would no longer match it; remove or switch the other worktree (git -C ${twins[0]?.path ?? ''} switch <branch>) and sync again`,
    };
  }
  if (wt.head === null) {
    if (await headHasHistory(gitDir)) {
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
  const counts = await dirtyCounts(wt.path);
  // Untracked files alone do not block: a rebase leaves them be (files in the way of the base
  // are checked separately).
  const changes = { ...counts, untracked: 0 };
  if (isDirty(changes)) {
    return {
      code: 'dirty',
      reason: `uncommitted changes (${describeChanges(changes)}); commit them (git -C ${wt.path} commit -a) and sync again`,
    };
  }
  return null;
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
        `its branch has a merge commit with changes of its own (${shortId(merge.commit)}${merge.files.length > 0 ? `: ${listFiles(merge.files)}` : ''}: a conflict resolved by hand or an edit made while merging), which a rebase would drop; sync it with --strategy merge`,
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
        `a rebase onto ${target.name} would drop changes of the branch in ${listFiles(missing)} (git finds a commit of the branch already in ${target.name}, which has changed it since); sync it with --strategy merge`,
      );
    }
  }
  return { status: 'go', forecast };
}
