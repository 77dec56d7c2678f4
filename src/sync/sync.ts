import path from 'node:path';
import { UsageError } from '../errors.js';
import {
  attachHead,
  dirtyCounts,
  filesInPlaceOfFolders,
  headBranch,
  headCommit,
  headHasHistory,
  indexPaths,
  isAncestor,
  isDirty,
  mergeBaseOctopus,
  mergeInto,
  operationHint,
  operationInProgress,
  pathsChangedIn,
  readOperationHead,
  readRebaseState,
  rebaseOnto,
  resetIndexTo,
  resolveCommit,
  scratchCommit,
  snapshotWorktree,
  treeDiffPaths,
  worktreeGitDir,
  type OperationKind,
} from '../git/index.js';
import {
  changedMerge,
  changesMissing,
  forecastIntegration,
  type Forecast,
} from '../sync/forecast.js';
import {
  gitRuns,
  readMarker,
  removeMarker,
  SYNC_OUTPUT,
  writeMarker,
  type SyncMarker,
} from '../sync/marker.js';
import { undoStopped } from '../sync/undo.js';
import { resolveBase, type Repo } from '../repo.js';
import { assertWorktreeName } from '../worktrees/names.js';
import {
  currentWorktree,
  describeChanges,
  worktrees,
  type WorktreeInfo,
} from '../worktrees/worktrees.js';
import { pickWorktree } from '../worktrees/lookup.js';
import { fetchBase } from './fetch-once.js';
import { holderIsDead, tryLock } from '../util/lock.js';
import type { ClaimSummary } from '../claims/record.js';

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
  | 'drops-changes';

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

/**
 * Brings the base into worktrees, one after the other. Never destroys work: dirty worktrees and
 * half-done operations are skipped, a conflicting rebase or merge is aborted and the worktree
 * verified identical to before. Throws only for bad input, or when the base cannot be fetched and
 * there is no local copy of it (nothing changed).
 */
export async function syncWorktrees(repo: Repo, options: SyncOptions): Promise<SyncReport> {
  const strategy = options.strategy ?? repo.config.sync.strategy;
  const dryRun = Boolean(options.dryRun);
  const targets = await resolveTargets(repo, options.targets ?? 'current');
  const warnings: string[] = [];

  let fetched = false;
  const { remote, base: baseBranch } = repo.config;
  if (!dryRun) {
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
  for (const wt of targets) {
    const result = await syncOne(wt, { repo, base, baseCommit, strategy, dryRun, options, all });
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
  /** Every worktree of the repository, as listed before the first one was synced. */
  all: readonly WorktreeInfo[];
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
    recovered: null,
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
  const gitDir = await worktreeGitDir(wt.path);
  if (!gitDir) {
    return {
      ...result,
      status: 'failed',
      reason: `its git dir cannot be read (${path.join(wt.path, '.git')}); check it with git -C ${wt.path} status`,
    };
  }
  // One tmc-orch sync per worktree at a time: a second one could otherwise take the first one's
  // rebase in progress for its own and undo it.
  const lockPath = path.join(gitDir, SYNC_LOCK);
  const release = await tryLock(lockPath);
  if (!release) {
    if (await holderIsDead(lockPath)) {
      const operation = await operationInProgress(gitDir);
      return {
        ...skip(
          'busy',
          `the tmc-orch sync that held this worktree was killed${operation ? ` and left a ${operation} in progress` : ''}; its lock expires within 10 s, then sync again: it finishes or undoes what the killed sync left`,
        ),
        operation,
      };
    }
    return skip('busy', 'another tmc-orch sync is working on it; wait for it and sync again');
  }
  try {
    const marker = ctx.dryRun ? null : await readMarker(gitDir);
    if (marker) {
      // A sync before this one was killed, or could not end what it started: finish its work
      // first (undo a stopped operation, check a finished one), then sync as usual.
      if (await gitRuns(marker.gitPid)) {
        return skip(
          'busy',
          `the git ${marker.operation} a tmc-orch sync started is still running (pid ${marker.gitPid}); sync again when it has ended`,
        );
      }
      const recovered = await recover(wt.path, gitDir, marker);
      if (recovered.done !== null) return { ...result, ...recovered.done };
      result.recovered = recovered.note;
    }
    // What git said of the worktree before we held its lock may be stale: a sync that held it
    // until a moment ago was mid-rebase (detached HEAD) then. Judge it as it is now.
    const [branch, head] = await Promise.all([headBranch(gitDir), headCommit(wt.path)]);
    wt = { ...wt, branch, head };
    result.branch = branch;
    result.before = head;
    const blocked = await precondition(wt, gitDir, ctx);
    if (blocked) {
      return { ...skip(blocked.code, blocked.reason), operation: blocked.operation ?? null };
    }
    if (head === null || branch === null) throw new Error(`HEAD of ${wt.path} names no branch`);
    const shape = await branchShape(wt.path, branch, head, ctx);
    if (shape === 'up-to-date') return { ...result, status: 'up-to-date', after: head };
    if (shape.status === 'blocked') return skip(shape.code, shape.reason);
    const plan = shape.forecast;
    if (plan.status === 'conflict') {
      return {
        ...result,
        status: 'conflict',
        after: ctx.dryRun ? null : head,
        conflicts: plan.files,
        reason: ctx.dryRun
          ? `would conflict with ${ctx.base}`
          : `conflicts with ${ctx.base}${plan.commit ? ` (when replaying ${plan.commit.slice(0, 10)})` : ''}; not started, the worktree is unchanged. Resolve by hand: git -C ${wt.path} ${ctx.strategy} ${ctx.base}`,
      };
    }
    if (ctx.dryRun) {
      return { ...result, status: 'updated', reason: `would ${ctx.strategy} onto ${ctx.base}` };
    }
    return await integrate(wt.path, gitDir, branch, head, result, ctx);
  } catch (error) {
    return {
      ...result,
      status: 'failed',
      reason: `${error instanceof Error ? error.message : String(error)}; check the worktree with git -C ${wt.path} status`,
    };
  } finally {
    await release();
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
      reason: `HEAD is detached${wt.head ? ` at ${wt.head.slice(0, 10)}` : ''}; check out a branch (git -C ${wt.path} switch <branch>) and sync again`,
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
async function branchShape(
  cwd: string,
  branch: string,
  head: string,
  ctx: SyncContext,
): Promise<
  'up-to-date' | (Blocked & { status: 'blocked' }) | { status: 'go'; forecast: Forecast }
> {
  const blocked = (code: SkipCode, reason: string) => ({
    status: 'blocked' as const,
    code,
    reason,
  });
  if ((await mergeBaseOctopus(cwd, [head, ctx.baseCommit])) === null) {
    return blocked(
      'unrelated',
      `its branch ${branch} has no history in common with ${ctx.base} (an orphan branch such as gh-pages), so there is nothing to ${ctx.strategy} onto; sync leaves it alone`,
    );
  }
  if (await isAncestor(cwd, ctx.baseCommit, head)) return 'up-to-date';
  if (ctx.strategy === 'rebase') {
    const merge = await changedMerge(cwd, ctx.baseCommit, head);
    if (merge) {
      return blocked(
        'merge-commits',
        `its branch has a merge commit with changes of its own (${merge.commit.slice(0, 10)}${merge.files.length > 0 ? `: ${listFiles(merge.files)}` : ''}: a conflict resolved by hand or an edit made while merging), which a rebase would drop; sync it with --strategy merge`,
      );
    }
  }
  const forecast = await forecastIntegration(cwd, ctx.strategy, head, ctx.baseCommit);
  if (ctx.strategy === 'rebase' && forecast.status === 'clean') {
    const result = await scratchCommit(cwd, forecast.tree, ctx.baseCommit);
    const missing = await changesMissing(cwd, head, result);
    if (missing.length > 0) {
      return blocked(
        'drops-changes',
        `a rebase onto ${ctx.base} would drop changes of the branch in ${listFiles(missing)} (git finds a commit of the branch already in the base, which has changed it since); sync it with --strategy merge`,
      );
    }
  }
  return { status: 'go', forecast };
}

function listFiles(files: readonly string[]): string {
  return `${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}`;
}

/**
 * Runs the rebase or merge, recorded in a marker so that a sync killed meanwhile is finished or
 * undone by the next one, then settles what git left.
 */
async function integrate(
  cwd: string,
  gitDir: string,
  branch: string,
  head: string,
  result: SyncResult,
  ctx: SyncContext,
): Promise<SyncResult> {
  // A rebase also writes the paths of every commit it replays, not only the end result.
  const [ends, replayed] = await Promise.all([
    treeDiffPaths(cwd, head, ctx.baseCommit),
    ctx.strategy === 'rebase' ? pathsChangedIn(cwd, ctx.baseCommit, head) : [],
  ]);
  const touched = [...new Set([...ends, ...replayed])];
  const before = await snapshotWorktree(cwd, touched);
  // git refuses to overwrite untracked files but silently overwrites ignored ones (and an abort
  // then deletes them): anything on disk in the way is a reason not to start.
  const tracked = indexPaths(before.index);
  const inTheWay = [
    ...touched.filter((p) => !tracked.has(p) && before.files.get(p) !== 'missing'),
    ...(await filesInPlaceOfFolders(cwd, touched, tracked)),
  ];
  if (inTheWay.length > 0) {
    return {
      ...result,
      status: 'failed',
      after: head,
      reason: `untracked or ignored files would be overwritten by ${ctx.base}: ${listFiles(inTheWay)}; move them away and sync again (nothing was changed)`,
    };
  }

  const marker: SyncMarker = {
    operation: ctx.strategy,
    branch,
    before: head,
    target: ctx.baseCommit,
    pid: process.pid,
    gitPid: null,
    started: new Date().toISOString(),
  };
  await writeMarker(gitDir, marker);
  const run = {
    outputFile: path.join(gitDir, SYNC_OUTPUT),
    onSpawn: (pid: number) => writeMarker(gitDir, { ...marker, gitPid: pid }),
  };
  const git =
    ctx.strategy === 'rebase'
      ? await rebaseOnto(cwd, ctx.baseCommit, run)
      : await mergeInto(cwd, ctx.baseCommit, run);
  const settled = await settle(cwd, gitDir, marker, git.stderr);
  if (settled.kind !== 'left') await removeMarker(gitDir);
  return { ...result, ...settledResult(settled, cwd, ctx.strategy, ctx.base, gitMessage(git)) };
}

/** git's first lines of output, which say why it stopped (and list the files). */
function gitMessage(run: { stdout: string; stderr: string; exitCode: number }): string {
  return (
    (run.stderr || run.stdout)
      .split(/[\r\n]+/)
      .map((l) => l.trim())
      .filter(
        (l) =>
          l !== '' && !/^(hint|Aborting|Please (move|commit)|Rebasing \(|Auto-merging)/i.test(l),
      )
      .slice(0, 4)
      .join(' ') || `exit ${run.exitCode}`
  );
}

/** What a sync's rebase or merge left, once git has exited (or its sync was killed). */
type Settled =
  /** It finished; `missing` lists files where the result lacks changes of the branch. */
  | { kind: 'completed'; head: string; old: string; missing: string[] }
  /** git stopped and the operation was undone (see undoStopped). */
  | { kind: 'undone'; conflicts: string[]; kept: string[]; problems: string[] }
  /** Nothing happened: git refused to start, or the operation was already undone. */
  | { kind: 'untouched' }
  /** git stopped and the operation is left for the user, who must do what `reason` says. */
  | { kind: 'left'; operation: OperationKind; reason: string }
  /** What is there is not this sync's doing (someone else's operation, or work since). */
  | { kind: 'foreign'; reason: string };

async function settle(
  cwd: string,
  gitDir: string,
  marker: SyncMarker,
  gitOutput: string,
): Promise<Settled> {
  const operation = await operationInProgress(gitDir);
  if (operation) {
    const someoneElses =
      operation !== marker.operation ||
      /already a rebase-(merge|apply) directory|not concluded your merge|MERGE_HEAD exists/i.test(
        gitOutput,
      ) ||
      !(await isOurs(gitDir, marker));
    if (someoneElses) {
      return {
        kind: 'foreign',
        reason: `a ${operation} that tmc-orch did not start is in progress; ${operationHint(operation, cwd)}, then sync again`,
      };
    }
    const undo = await undoStopped(cwd, gitDir, marker.operation, marker.branch);
    if (undo.status === 'left') return { kind: 'left', operation, reason: undo.reason };
    return { kind: 'undone', conflicts: undo.conflicts, kept: undo.kept, problems: undo.problems };
  }
  const [branch, head] = await Promise.all([headBranch(gitDir), headCommit(cwd)]);
  if (branch === null && head !== null) {
    // A sync killed while undoing a rebase, after its files were put back and the rebase ended
    // (--quit), HEAD still detached where git stopped: finish the undo (no file touched).
    const tip = await resolveCommit(cwd, `refs/heads/${marker.branch}`);
    const wasOurs = head === marker.before || (await isAncestor(cwd, marker.target, head));
    if (tip === marker.before && wasOurs) {
      await resetIndexTo(cwd, marker.before);
      await attachHead(
        cwd,
        marker.branch,
        `tmc-orch sync: undo the ${marker.operation} of ${marker.branch}`,
      );
      return { kind: 'untouched' };
    }
  }
  if (branch !== marker.branch || head === null) {
    return {
      kind: 'foreign',
      reason: `HEAD is ${branch ? `on ${branch}` : `detached at ${head?.slice(0, 10) ?? 'nothing'}`}, not on ${marker.branch}`,
    };
  }
  if (head === marker.before) return { kind: 'untouched' };
  // Finished: the branch holds the target (and, for a merge, the commit it started from).
  const finished =
    (await isAncestor(cwd, marker.target, head)) &&
    (marker.operation === 'rebase' || (await isAncestor(cwd, marker.before, head)));
  if (!finished) return { kind: 'foreign', reason: `${marker.branch} moved on since` };
  const old = marker.before;
  const missing =
    marker.operation === 'rebase' ? await changesMissing(cwd, marker.before, head) : [];
  return { kind: 'completed', head, old, missing };
}

/** Whether the operation in progress is the one the marker records (never someone else's). */
async function isOurs(gitDir: string, marker: SyncMarker): Promise<boolean> {
  if (marker.operation === 'merge') {
    return (await readOperationHead(gitDir, 'MERGE_HEAD')) === marker.target;
  }
  const state = await readRebaseState(gitDir);
  return state?.headName === `refs/heads/${marker.branch}` && state.onto === marker.target;
}

/** The result fields for what a sync's own operation came to. */
function settledResult(
  settled: Settled,
  cwd: string,
  strategy: SyncStrategy,
  base: string,
  message: string,
): Partial<SyncResult> {
  const git = `git -C ${cwd}`;
  switch (settled.kind) {
    case 'completed':
      if (settled.missing.length > 0) {
        return {
          status: 'failed',
          after: settled.head,
          reason: `the ${strategy} onto ${base} finished, but the result lacks changes of the branch in ${listFiles(settled.missing)}; the branch before it is ${settled.old.slice(0, 10)} (also in git reflog): go back with ${git} reset --keep ${settled.old}`,
        };
      }
      return { status: 'updated', after: settled.head };
    case 'undone': {
      const kept =
        settled.kept.length > 0
          ? ` Files changed during the sync were kept as they are (uncommitted changes now): ${listFiles(settled.kept)}.`
          : '';
      if (settled.problems.length > 0) {
        return {
          status: 'failed',
          conflicts: settled.conflicts,
          reason: `git stopped the ${strategy} (${message}); undoing it left problems: ${settled.problems.join('; ')}. Inspect with ${git} status and git reflog.${kept}`,
        };
      }
      if (settled.conflicts.length > 0) {
        return {
          status: 'conflict',
          conflicts: settled.conflicts,
          reason: `conflicts with ${base}; aborted, the branch and its files are as before.${kept} Resolve by hand: ${git} ${strategy} ${base}`,
        };
      }
      return {
        status: 'failed',
        reason: `git stopped the ${strategy} (${message}); undone, the branch and its files are as before.${kept} Sync again`,
      };
    }
    case 'untouched':
      return {
        status: 'failed',
        reason: `git ${strategy} failed: ${message}; nothing was synced, the branch is where it was`,
      };
    case 'left':
      return {
        status: 'failed',
        operation: settled.operation,
        reason: `git stopped the ${strategy} (${message}) and it is left in progress: ${settled.reason}`,
      };
    case 'foreign':
      return { status: 'failed', reason: `git ${strategy} failed: ${message}; ${settled.reason}` };
  }
}

/**
 * Finishes what an earlier sync left (see SyncMarker): its undo, or the check of an operation
 * that ended after the sync was killed. `done` is the result when the user must act first; with
 * null the sync goes on, and `note` says what was found.
 */
async function recover(
  cwd: string,
  gitDir: string,
  marker: SyncMarker,
): Promise<{ done: Partial<SyncResult> | null; note: string }> {
  const settled = await settle(cwd, gitDir, marker, '');
  const what = `a ${marker.operation} started by an earlier tmc-orch sync (from ${marker.before.slice(0, 10)} onto ${marker.target.slice(0, 10)})`;
  if (settled.kind !== 'left') await removeMarker(gitDir);
  switch (settled.kind) {
    case 'completed':
      if (settled.missing.length > 0) {
        return {
          done: settledResult(settled, cwd, marker.operation, marker.target.slice(0, 10), ''),
          note: `${what} had finished`,
        };
      }
      return { done: null, note: `${what} had finished; checked: no change of the branch lost` };
    case 'undone':
      if (settled.problems.length > 0) {
        return {
          done: settledResult(
            settled,
            cwd,
            marker.operation,
            marker.target.slice(0, 10),
            'left stopped',
          ),
          note: `${what} was left stopped`,
        };
      }
      return {
        done: null,
        note: `${what} was left stopped; undone${settled.kept.length > 0 ? `, keeping the files changed meanwhile: ${listFiles(settled.kept)}` : ''}`,
      };
    case 'untouched':
      return { done: null, note: `${what} had not changed anything` };
    case 'left':
      return {
        done: {
          status: 'failed',
          operation: settled.operation,
          reason: `${what} is stopped, and left as it is: ${settled.reason}`,
        },
        note: `${what} is stopped`,
      };
    case 'foreign':
      return { done: null, note: `${what} is over (${settled.reason})` };
  }
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
  const short = (sha: string | null) => (sha ? sha.slice(0, 10) : '-');
  switch (r.status) {
    case 'updated':
      return `sync: ${report.strategy} onto ${report.base}, ${short(r.before)} → ${short(r.after)}`;
    case 'up-to-date':
    case 'skipped':
      return null;
    case 'conflict':
      return `sync: conflict with ${report.base} in ${r.conflicts.join(', ')}; not synced, unchanged`;
    case 'failed':
      return `sync: failed: ${r.reason ?? ''}`;
  }
}
