import path from 'node:path';
import { UsageError } from '../errors.js';
import {
  abortMerge,
  abortRebase,
  dirtyCounts,
  filesInPlaceOfFolders,
  forecastMerge,
  headBranch,
  headCommit,
  headHasHistory,
  indexPaths,
  isDirty,
  isAncestor,
  mergeInto,
  operationHint,
  operationInProgress,
  pathsChangedIn,
  rebaseOnto,
  remoteExists,
  snapshotDifferences,
  snapshotWorktree,
  treeDiffPaths,
  unmergedFiles,
  worktreeGitDir,
  type OperationKind,
} from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { assertWorktreeName } from '../worktrees/names.js';
import {
  currentWorktree,
  describeChanges,
  worktrees,
  type WorktreeInfo,
} from '../worktrees/worktrees.js';
import { pickWorktree } from '../worktrees/lookup.js';
import { fetchOnce } from './fetch-once.js';
import { holderIsDead, tryLock } from '../util/lock.js';
import type { ClaimInfo } from './status.js';

export type SyncStrategy = 'rebase' | 'merge';
export type SyncOutcome = 'updated' | 'up-to-date' | 'skipped' | 'conflict' | 'failed';
export type SkipCode =
  'missing' | 'busy' | 'claimed' | 'operation' | 'detached' | 'unborn' | 'branch-deleted' | 'dirty';

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
  claimOf?: (worktree: WorktreeInfo) => Promise<ClaimInfo | null>;
  /** Called after each worktree, e.g. to write one status-log entry per worktree. */
  onResult?: (
    result: SyncResult,
    context: { base: string; strategy: SyncStrategy },
  ) => Promise<void> | void;
  /** Called when another process's fetch is being waited for. */
  onFetchWait?: () => void;
}

export function parseStrategy(value: string | undefined, fallback: SyncStrategy): SyncStrategy {
  if (value === undefined) return fallback;
  if (value === 'rebase' || value === 'merge') return value;
  throw new UsageError(
    `--strategy ${JSON.stringify(value)} is not a strategy; use --strategy rebase or --strategy merge`,
  );
}

/**
 * Brings the base into worktrees, one after the other. Never destroys work: dirty worktrees and
 * half-done operations are skipped, a conflicting rebase or merge is aborted and the worktree
 * verified identical to before. Throws only for bad input or a failed fetch (nothing changed).
 */
export async function syncWorktrees(repo: Repo, options: SyncOptions): Promise<SyncReport> {
  const strategy = options.strategy ?? repo.config.sync.strategy;
  const dryRun = Boolean(options.dryRun);
  const targets = await resolveTargets(repo, options.targets ?? 'current');
  const warnings: string[] = [];

  let fetched = false;
  const { remote, base: baseBranch } = repo.config;
  if (remote && !dryRun) {
    if (await remoteExists(repo.toplevel, remote)) {
      const result = await fetchOnce(repo.commonDir, repo.mainRoot, remote, baseBranch, {
        ...(options.onFetchWait ? { onWait: options.onFetchWait } : {}),
      });
      fetched = result.fetched;
    } else {
      warnings.push(
        `remote ${JSON.stringify(remote)} does not exist, so nothing was fetched; add it (git remote add ${remote} <url>) or set "remote": "" in the config`,
      );
    }
  }
  const { base, baseCommit } = await resolveBase(repo);
  if (!baseCommit) {
    throw new UsageError(
      `the base ${base} has no commit; commit on ${baseBranch} (or push it to ${remote || 'the remote'}) first`,
    );
  }

  const results: SyncResult[] = [];
  for (const wt of targets) {
    const result = await syncOne(wt, { repo, base, baseCommit, strategy, dryRun, options });
    results.push(result);
    await options.onResult?.(result, { base, strategy });
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

async function resolveTargets(
  repo: Repo,
  targets: 'current' | 'all' | readonly string[],
): Promise<WorktreeInfo[]> {
  if (targets === 'current') return [await currentWorktree(repo)];
  const all = await worktrees(repo);
  if (targets === 'all') return all;
  for (const name of targets) assertWorktreeName(name);
  return [...new Set(targets)].map((name) => pickWorktree(all, name));
}

export function summarize(results: readonly SyncResult[]): SyncSummary {
  const count = (s: SyncOutcome) => results.filter((r) => r.status === s).length;
  return {
    updated: count('updated'),
    upToDate: count('up-to-date'),
    skipped: count('skipped'),
    conflict: count('conflict'),
    failed: count('failed'),
  };
}

interface SyncContext {
  repo: Repo;
  base: string;
  baseCommit: string;
  strategy: SyncStrategy;
  dryRun: boolean;
  options: SyncOptions;
}

async function syncOne(wt: WorktreeInfo, ctx: SyncContext): Promise<SyncResult> {
  const result: SyncResult = {
    name: wt.name,
    path: wt.path,
    branch: wt.branch,
    status: 'skipped',
    before: wt.head,
    after: null,
    reason: null,
    skip: null,
    operation: null,
    conflicts: [],
  };
  const skip = (code: SkipCode, reason: string): SyncResult => ({
    ...result,
    status: 'skipped',
    skip: code,
    reason,
  });
  if (wt.prunable !== null) {
    return skip('missing', `its folder ${wt.path} is missing; run tmc-orch worktree prune`);
  }
  // One tmc-orch sync per worktree at a time: a second one could otherwise take the first one's
  // half-done rebase for its own conflict and abort it.
  const gitDir = await worktreeGitDir(wt.path);
  const release = gitDir ? await tryLock(path.join(gitDir, SYNC_LOCK)) : null;
  if (gitDir && !release) {
    const lockPath = path.join(gitDir, SYNC_LOCK);
    if (await holderIsDead(lockPath)) {
      // A sync killed mid-command: its lock goes stale within seconds, but what it left behind
      // (a rebase in progress, say) is what the user needs to hear about.
      const operation = await operationInProgress(gitDir);
      if (operation) {
        return {
          ...skip(
            'operation',
            `a ${operation} is in progress, left by a tmc-orch sync that was killed; ${operationHint(operation, wt.path)}, then sync again`,
          ),
          operation,
        };
      }
      return skip(
        'busy',
        'the tmc-orch sync that held this worktree was killed; its lock expires within 10 s, then sync again',
      );
    }
    return skip('busy', 'another tmc-orch sync is working on it; wait for it and sync again');
  }
  try {
    // What git said of the worktree before we held its lock may be stale: a sync that held it
    // until a moment ago was mid-rebase (detached HEAD) then. Judge it as it is now.
    const [branch, head] = await Promise.all([
      gitDir ? headBranch(gitDir) : wt.branch,
      headCommit(wt.path),
    ]);
    wt = { ...wt, branch, head };
    result.branch = branch;
    result.before = head;
    const blocked = await precondition(wt, gitDir, ctx);
    if (blocked) {
      return { ...skip(blocked.code, blocked.reason), operation: blocked.operation ?? null };
    }
    if (head === null) throw new Error(`HEAD of ${wt.path} names no commit`);
    if (await isAncestor(wt.path, ctx.baseCommit, head)) {
      return { ...result, status: 'up-to-date', after: head };
    }
    if (ctx.dryRun) return await forecast(result, head, ctx);
    return await integrate(wt, gitDir, result, ctx);
  } catch (error) {
    return {
      ...result,
      status: 'failed',
      reason: `${error instanceof Error ? error.message : String(error)}; check the worktree with git -C ${wt.path} status`,
    };
  } finally {
    if (release) await release();
  }
}

/** The per-worktree lock, in that worktree's git dir. */
export const SYNC_LOCK = 'tmc-orch-sync.lock';

interface Blocked {
  code: SkipCode;
  reason: string;
  operation?: OperationKind;
}

/** Each reason not to touch a worktree, checked in order; null when it may be synced. */
async function precondition(
  wt: WorktreeInfo,
  gitDir: string | null,
  ctx: SyncContext,
): Promise<Blocked | null> {
  const claim = (await ctx.options.claimOf?.(wt)) ?? null;
  if (claim && claim.agent !== ctx.options.agent) {
    return {
      code: 'claimed',
      reason: `claimed by ${claim.agent} since ${claim.since}${claim.stale ? ' (stale)' : ''}${claim.task ? ` (task: ${claim.task})` : ''}; ask them to sync it`,
    };
  }
  const operation = gitDir ? await operationInProgress(gitDir) : null;
  if (operation) {
    return {
      code: 'operation',
      operation,
      reason: `a ${operation} is in progress; ${operationHint(operation, wt.path)}, then sync again`,
    };
  }
  if (wt.branch === null) {
    return {
      code: 'detached',
      reason: `HEAD is detached${wt.head ? ` at ${wt.head.slice(0, 10)}` : ''}; check out a branch (git -C ${wt.path} switch <branch>) and sync again`,
    };
  }
  if (wt.head === null) {
    if (gitDir && (await headHasHistory(gitDir))) {
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

async function forecast(result: SyncResult, head: string, ctx: SyncContext): Promise<SyncResult> {
  const merge = await forecastMerge(result.path, head, ctx.baseCommit);
  if (!merge.clean) {
    return {
      ...result,
      status: 'conflict',
      conflicts: merge.files,
      reason: `would conflict with ${ctx.base}`,
    };
  }
  return { ...result, status: 'updated', reason: `would ${ctx.strategy} onto ${ctx.base}` };
}

async function integrate(
  wt: WorktreeInfo,
  gitDir: string | null,
  result: SyncResult,
  ctx: SyncContext,
): Promise<SyncResult> {
  const head = result.before as string;
  // A rebase also writes the paths of every commit it replays, not only the end result.
  const [ends, replayed] = await Promise.all([
    treeDiffPaths(wt.path, head, ctx.baseCommit),
    ctx.strategy === 'rebase' ? pathsChangedIn(wt.path, ctx.baseCommit, head) : [],
  ]);
  const touched = [...new Set([...ends, ...replayed])];
  const before = await snapshotWorktree(wt.path, touched);
  // git refuses to overwrite untracked files but silently overwrites ignored ones (and an abort
  // then deletes them): anything on disk in the way is a reason not to start.
  const tracked = indexPaths(before.index);
  const inTheWay = [
    ...touched.filter((p) => !tracked.has(p) && before.files.get(p) !== 'missing'),
    ...(await filesInPlaceOfFolders(wt.path, touched, tracked)),
  ];
  if (inTheWay.length > 0) {
    return {
      ...result,
      status: 'failed',
      after: head,
      reason: `untracked or ignored files would be overwritten by ${ctx.base}: ${inTheWay.slice(0, 5).join(', ')}${inTheWay.length > 5 ? ', …' : ''}; move them away and sync again (nothing was changed)`,
    };
  }
  const run =
    ctx.strategy === 'rebase'
      ? await rebaseOnto(wt.path, ctx.baseCommit)
      : await mergeInto(wt.path, ctx.baseCommit);
  if (run.exitCode === 0) {
    return { ...result, status: 'updated', after: await headCommit(wt.path) };
  }

  // git refuses to start when another rebase or merge (someone's, by hand) appeared since our
  // checks: that one is not ours to abort.
  const foreign =
    /already a rebase-(merge|apply) directory|not concluded your merge|MERGE_HEAD exists/i.test(
      run.stderr,
    );
  const operation = gitDir && !foreign ? await operationInProgress(gitDir) : null;
  const conflicts = operation ? await unmergedFiles(wt.path) : [];
  if (operation === 'rebase') await abortRebase(wt.path);
  else if (operation === 'merge') await abortMerge(wt.path);

  const after = await snapshotWorktree(wt.path, touched);
  const differences = snapshotDifferences(before, after);
  if (differences.length > 0) {
    return {
      ...result,
      status: 'failed',
      conflicts,
      after: after.head,
      reason: `the ${ctx.strategy} failed and the worktree is not as before (${differences.slice(0, 5).join('; ')}); inspect it with git -C ${wt.path} status and git reflog`,
    };
  }
  if (conflicts.length > 0) {
    return {
      ...result,
      status: 'conflict',
      conflicts,
      after: after.head,
      reason: `conflicts with ${ctx.base}; aborted, the worktree is unchanged. Resolve by hand: git -C ${wt.path} ${ctx.strategy} ${ctx.base}`,
    };
  }
  // git's first lines say why, and list the files (e.g. untracked files it would overwrite).
  const message =
    (run.stderr || run.stdout)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^(hint|Aborting|Please move or remove)/i.test(l))
      .slice(0, 4)
      .join(' ') || `exit ${run.exitCode}`;
  return {
    ...result,
    status: 'failed',
    after: after.head,
    reason: `git ${ctx.strategy} failed: ${message}; the worktree is unchanged`,
  };
}

/** One line for the shared status log, e.g. from an onResult hook. */
export function syncLogMessage(
  r: SyncResult,
  report: { base: string; strategy: SyncStrategy },
): string {
  const short = (sha: string | null) => (sha ? sha.slice(0, 10) : '-');
  switch (r.status) {
    case 'updated':
      return r.after
        ? `sync: ${report.strategy} onto ${report.base}, ${short(r.before)} → ${short(r.after)}`
        : `sync (dry run): would ${report.strategy} onto ${report.base}`;
    case 'up-to-date':
      return `sync: already up to date with ${report.base}`;
    case 'skipped':
      return `sync: skipped (${r.skip ?? 'unknown'}): ${r.reason ?? ''}`;
    case 'conflict':
      return `sync: conflict with ${report.base} in ${r.conflicts.join(', ')}; aborted, unchanged`;
    case 'failed':
      return `sync: failed: ${r.reason ?? ''}`;
  }
}
