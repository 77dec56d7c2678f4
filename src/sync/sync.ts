import path from 'node:path';
import { UsageError } from '../errors.js';
import { headBranch, headCommit, worktreeGitDir } from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { pickWorktree, type WorktreeInfo } from '../worktrees/lookup.js';
import { assertWorktreeName } from '../worktrees/names.js';
import { currentWorktree, worktrees } from '../worktrees/worktrees.js';
import { branchOnlyParts, syncBranchOnly } from './branch-only.js';
import { fetchBase } from './fetch-once.js';
import { integrate, recover } from './integrate.js';
import { holdForSync } from './lock.js';
import { gitRuns, readMarker } from './marker.js';
import { branchShape, precondition } from './preconditions.js';
import { byHand, stackResult, syncTarget, writeRecord } from './restack.js';
import { stackOrder } from '../stack/order.js';
import { readStack } from '../stack/record.js';
import { conflicted, failed, skipped, upToDate, wouldUpdate } from './result.js';
import type {
  SyncContext,
  SyncOptions,
  SyncOutcome,
  SyncReport,
  SyncResult,
  SyncResultBase,
  SyncStrategy,
  SyncSummary,
} from './types.js';
import { shortId } from '../ui/format.js';

/**
 * Brings the base into worktrees, one after the other (with 'all', also restacks the parts of
 * stacks no worktree holds, branch-only.ts). Never destroys work: dirty worktrees and half-done
 * operations are skipped, a conflicting rebase or merge is aborted and the worktree verified
 * identical to before. Throws only for bad input, or when the base cannot be fetched and there is
 * no local copy of it (nothing changed).
 */
export async function syncWorktrees(repo: Repo, options: SyncOptions): Promise<SyncReport> {
  const strategy = options.strategy ?? repo.config.sync.strategy;
  const dryRun = Boolean(options.dryRun);
  const targets = await resolveTargets(repo, options.targets ?? 'current');
  const warnings: string[] = [];

  let fetched = false;
  const { remote, base: baseBranch } = repo.config;
  if (repo.offline && !dryRun) {
    warnings.push(
      `--offline: ${baseBranch} was not fetched from ${remote || 'the remote'}; syncing onto the local copy, which may be behind`,
    );
  } else if (!dryRun) {
    const result = await fetchBase(repo, {
      ...(options.onFetchWait ? { onWait: options.onFetchWait } : {}),
    });
    fetched = result.fetched;
    warnings.push(...result.warnings);
  }
  const { base, baseCommit } = await resolveBase(repo);
  if (!baseCommit) {
    throw new UsageError(
      `the base ${base} has no commit; commit on ${baseBranch} (or push it to ${remote || 'the remote'}) first`,
    );
  }

  const all = await worktrees(repo);
  const results: SyncResult[] = [];
  const ctx: SyncContext = { repo, base, baseCommit, strategy, dryRun, options, all };
  for (const item of targets) {
    const result =
      item.kind === 'worktree'
        ? await syncOne(item.worktree, ctx)
        : await syncBranchOnly(item.branch, ctx);
    results.push(result);
    await options.onResult?.(result, {
      base,
      strategy,
      dryRun,
      done: results.length,
      total: targets.length,
    });
  }
  return {
    base,
    baseCommit,
    strategy,
    dryRun,
    fetched,
    warnings,
    results,
    summary: summarize(results),
  };
}

/** One thing a run syncs: a worktree, or a part of a stack no worktree holds (branch-only.ts). */
type SyncItem =
  | { kind: 'worktree'; worktree: WorktreeInfo; branch: string | null }
  | { kind: 'branch'; branch: string };

/**
 * What the run syncs, parents before their parts: the worktrees asked for, and with 'all' also
 * every part of a stack that no worktree holds, so that a stack is restacked whole, bottom up,
 * whichever of its parts have a worktree.
 */
async function resolveTargets(
  repo: Repo,
  targets: 'current' | 'all' | readonly string[],
): Promise<SyncItem[]> {
  const item = (worktree: WorktreeInfo): SyncItem => ({
    kind: 'worktree',
    worktree,
    branch: worktree.branch,
  });
  if (targets === 'current') return [item(await currentWorktree(repo))];
  const all = await worktrees(repo);
  const stack = await readStack(repo.toplevel);
  if (targets === 'all') {
    const parts = await branchOnlyParts(repo, stack, all);
    const branches = parts.map((branch): SyncItem => ({ kind: 'branch', branch }));
    return stackOrder([...all.map(item), ...branches], stack);
  }
  for (const name of targets) assertWorktreeName(name);
  const picked = [...new Set(targets)].map((name) => pickWorktree(all, name));
  return stackOrder(picked.map(item), stack);
}

function summarize(results: readonly SyncResult[]): SyncSummary {
  const count = (s: SyncOutcome) => results.filter((r) => r.status === s).length;
  return {
    updated: count('updated'),
    upToDate: count('up-to-date'),
    skipped: count('skipped'),
    conflict: count('conflict'),
    failed: count('failed'),
  };
}

async function syncOne(wt: WorktreeInfo, ctx: SyncContext): Promise<SyncResult> {
  // What the result says whatever its status, filled in as the sync learns more.
  const common: SyncResultBase = {
    name: wt.name,
    kind: 'worktree',
    path: wt.path,
    branch: wt.branch,
    before: wt.head,
    recovered: null,
    stack: null,
  };
  if (wt.prunable !== null) {
    return skipped(
      common,
      'missing',
      `its folder ${wt.path} is missing; run tmc-orch worktree prune`,
    );
  }
  const gitDir = await worktreeGitDir(wt.path);
  if (!gitDir) {
    return failed(
      common,
      `its git dir cannot be read (${path.join(wt.path, '.git')}); repair it with git -C ${ctx.repo.mainRoot} worktree repair ${wt.path}, then sync again`,
    );
  }
  // One tmc-orch sync per worktree at a time (see lock.ts).
  const lock = await holdForSync(gitDir);
  if (lock.status === 'busy') return skipped(common, 'busy', lock.reason, lock.operation);
  const { release } = lock;
  try {
    const marker = ctx.dryRun ? null : await readMarker(gitDir);
    if (marker) {
      // A sync before this one was killed, or could not end what it started: finish its work
      // first (undo a stopped operation, check a finished one), then sync as usual.
      if (await gitRuns(marker.gitPid)) {
        return skipped(
          common,
          'busy',
          `the git ${marker.operation} a tmc-orch sync started is still running (pid ${marker.gitPid}); sync again when it has ended`,
        );
      }
      const recovered = await recover(wt.path, gitDir, marker, common);
      if (recovered.done !== null) return recovered.done;
      common.recovered = recovered.note;
    }
    // What git said of the worktree before we held its lock may be stale: a sync that held it
    // until a moment ago was mid-rebase (detached HEAD) then. Judge it as it is now.
    const [branch, head] = await Promise.all([headBranch(gitDir), headCommit(wt.path)]);
    wt = { ...wt, branch, head };
    common.branch = branch;
    common.before = head;
    const blocked = await precondition(wt, gitDir, ctx);
    if (blocked) return skipped(common, blocked.code, blocked.reason, blocked.operation);
    if (head === null || branch === null) throw new Error(`HEAD of ${wt.path} names no branch`);
    // A part of a stack is brought onto its parent (or retargeted once the parent is merged).
    const decision = await syncTarget(wt.path, branch, head, {
      name: ctx.base,
      commit: ctx.baseCommit,
    });
    if (decision.status === 'blocked') return skipped(common, 'parent-gone', decision.reason);
    const target = decision.target;
    common.stack = stackResult(target);
    const shape = await branchShape(wt.path, branch, head, target, ctx);
    if (shape === 'up-to-date') {
      // Nothing to replay, but a parent merged by fast-forward still changes the record.
      if (!ctx.dryRun) await writeRecord(wt.path, branch, target.record);
      return upToDate(common, head);
    }
    if (shape.status === 'blocked') return skipped(common, shape.code, shape.reason);
    const plan = shape.forecast;
    if (plan.status === 'conflict') {
      if (ctx.dryRun) {
        return conflicted(common, plan.files, `would conflict with ${target.name}`, null);
      }
      return conflicted(
        common,
        plan.files,
        `conflicts with ${target.name}${plan.commit ? ` (when replaying ${shortId(plan.commit)})` : ''}; not started, the worktree is unchanged. Resolve by hand: git -C ${wt.path} ${byHand(ctx.strategy, target)}`,
        head,
      );
    }
    if (ctx.dryRun) return wouldUpdate(common, `would ${ctx.strategy} onto ${target.name}`);
    return await integrate(wt.path, gitDir, branch, head, common, target, ctx);
  } catch (error) {
    return failed(
      common,
      `${error instanceof Error ? error.message : String(error)}; check the worktree with git -C ${wt.path} status`,
    );
  } finally {
    await release();
  }
}

/** For a part whose parent was merged: what it is stacked on now. */
export function retargetNote(r: Pick<SyncResult, 'stack'>): string {
  if (r.stack === null || r.stack.parent === r.stack.previousParent) return '';
  return `; its parent ${r.stack.previousParent} is merged, its PR is now against ${r.stack.parent ?? r.stack.onto}`;
}

/**
 * The line for the shared status log, or null when there is nothing to tell: only what changed a
 * worktree, or tried to (updated, conflict, failed), is logged. Skips, no-ops and dry runs would
 * bury what agents wrote about their own work under one line per worktree per sync.
 */
export function syncLogMessage(
  r: SyncResult,
  report: { base: string; strategy: SyncStrategy; dryRun: boolean },
): string | null {
  if (report.dryRun) return null;
  // A part no worktree holds is named: the entry belongs to no worktree.
  const what = r.kind === 'branch' ? `branch ${r.name} (no worktree) ` : '';
  const onto = r.stack?.onto ?? report.base;
  switch (r.status) {
    case 'updated':
      return `sync: ${what}${report.strategy} onto ${onto}, ${shortId(r.before)} → ${shortId(r.after)}${retargetNote(r)}`;
    case 'up-to-date':
    case 'skipped':
      return null;
    case 'conflict':
      return `sync: ${what}conflict with ${onto} in ${r.conflicts.join(', ')}; not synced, unchanged`;
    case 'failed':
      return `sync: ${what}failed: ${r.reason}`;
  }
}
