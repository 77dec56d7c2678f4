import { RefusedError } from '../errors.js';
import { readLog } from '../log/read.js';
import type { Repo } from '../repo.js';
import { systemClock, type Clock } from '../util/clock.js';
import { formatDuration } from '../util/duration.js';
import { assertWorktreeName } from '../worktrees/names.js';
import { pickWorktree, worktrees, type WorktreeInfo } from '../worktrees/lookup.js';
import { decideClaim } from './decision.js';
import { claimRefusal, logQuietly, unidentifiedError } from './messages.js';
import { syncLockMirror, type MirrorState } from './mirror.js';
import type { Claim, ClaimRecord } from './record.js';
import { cloneId } from './ref-store.js';
import { tracker, untilSwapped } from './retry.js';
import {
  claimOn,
  configTtl,
  putBack,
  readStored,
  storeOf,
  swap,
  type StoredClaim,
} from './store.js';

/** Claiming a worktree: a new claim, a renewal, a take-over (see store.ts for the design). */

export interface ClaimOptions {
  name: string;
  agent: string;
  /** What the agent does there; null for none; undefined keeps the task of a renewed claim. */
  task?: string | null;
  /** The TTL in ms; undefined: config claims.ttl (a renewed claim keeps its own). */
  ttlMs?: number;
  /** The clock (default: the system's). */
  now?: Clock;
  /** Take over a claim whose heartbeat is older than its TTL. */
  stealStale?: boolean;
  /** Take over any claim. */
  force?: boolean;
}

type ClaimAction = 'claimed' | 'renewed' | 'took-over-stale' | 'forced';

export interface ClaimResult {
  action: ClaimAction;
  claim: Claim;
  /** The claim that was taken over or replaced (an orphaned one), if any. */
  previous: Claim | null;
  mirror: MirrorState;
  warnings: string[];
}

/**
 * Claims a worktree for `agent`, renews the agent's own claim, or takes over another agent's
 * claim (stale with stealStale, any with force). A take-over applies only to the exact claim seen
 * first: if it changes meanwhile (another stealer won), the answer is ClaimedError, never a
 * second take-over. After its swap a claim checks that its worktree is still the one it looked
 * up, and puts back what it replaced otherwise (the worktree was removed meanwhile).
 */
export async function claimWorktree(repo: Repo, options: ClaimOptions): Promise<ClaimResult> {
  assertWorktreeName(options.name);
  const task = options.task ?? null;
  const ttlFlag = options.ttlMs;
  const ttlMs = ttlFlag ?? configTtl(repo);
  const wt = pickWorktree(await worktrees(repo), options.name);
  if (wt.identity === null) throw unidentifiedError(wt);
  const identity = wt.identity;

  const store = await storeOf(repo, true);
  const clock = options.now ?? systemClock;
  const seenOf = tracker();
  return untilSwapped<ClaimResult>(repo, options.name, async () => {
    const now = clock();
    const stamp = now.toISOString();
    const current = await readStored(repo, options.name, store);
    const view = current ? claimOn(repo, current, wt, now) : null;
    const decision = decideClaim(
      view,
      {
        agent: options.agent,
        stealStale: Boolean(options.stealStale),
        force: Boolean(options.force),
      },
      seenOf(current?.oid ?? null),
    );
    if (decision.kind === 'refuse') {
      // The remote said no: this clone's lock mirror follows its answer all the same.
      if (store.kind === 'remote') await syncLockMirror(repo, wt).catch(() => undefined);
      throw claimRefusal(decision.why, decision.claim, options.name, now);
    }
    const bound = { worktreeId: identity, path: wt.path, removing: false, clone: cloneId(repo) };
    const next: ClaimRecord =
      decision.kind === 'renew' && current
        ? {
            ...current.record,
            ...bound,
            task: task ?? current.record.task,
            heartbeat: stamp,
            ttlMs: ttlFlag ?? current.record.ttlMs,
          }
        : {
            v: 2,
            worktree: options.name,
            agent: options.agent,
            task,
            since: stamp,
            heartbeat: stamp,
            ttlMs,
            ...bound,
          };

    const result = await swap(store, next, current?.oid ?? null);
    if (!result.swapped) return { lost: result.reason };
    if ((await linkedOrMainIdentity(repo, wt)) !== identity) {
      await putBack(store, options.name, result.oid, current?.oid ?? null);
      throw new RefusedError(
        `worktree ${options.name} was removed while you were claiming it, so nothing was claimed; see tmc-orch worktree list`,
      );
    }
    // Read before the renewal is logged anywhere: whether an earlier run's claim landed unseen.
    const landedUnseen =
      decision.kind === 'renew' && store.kind === 'remote' && current !== null
        ? await landedUnlogged(repo, current, options.agent, options.name)
        : false;
    const action: ClaimAction =
      decision.kind === 'renew'
        ? 'renewed'
        : decision.kind === 'take-over'
          ? decision.how === 'forced'
            ? 'forced'
            : 'took-over-stale'
          : 'claimed';
    const warnings: string[] = [];
    const mirror = await syncLockMirror(repo, wt);
    if (mirror === 'failed') warnings.push(`could not mirror the claim into git worktree lock`);
    const claim = claimOn(repo, { oid: result.oid, record: next, foreign: false }, wt, now);
    const ttlNote = `ttl ${formatDuration(next.ttlMs)}`;
    const taskNote = claim.task ? `task: ${claim.task}, ` : '';
    if (landedUnseen && current) {
      const { record } = current;
      warnings.push(
        `your earlier claim of ${options.name} (since ${record.since}) had landed on the remote, though its answer was lost; it is renewed now, and its log entry written`,
      );
      const earlierTask = record.task ? `task: ${record.task}, ` : '';
      await logQuietly(
        repo,
        options.agent,
        options.name,
        `claimed (${earlierTask}ttl ${formatDuration(record.ttlMs)})`,
        warnings,
        new Date(record.since),
      );
    }
    if (action === 'claimed') {
      const replaced = view?.orphaned
        ? `; replaces the orphaned claim of ${view.agent} (since ${view.since})`
        : '';
      await logQuietly(
        repo,
        options.agent,
        options.name,
        `claimed (${taskNote}${ttlNote})${replaced}`,
        warnings,
        now,
      );
    } else if (action !== 'renewed' && view) {
      const how = action === 'forced' ? 'forced take-over' : 'took over stale claim';
      const was = view.task ? `, task: ${view.task}` : '';
      await logQuietly(
        repo,
        options.agent,
        options.name,
        `${how} of ${view.agent} (since ${view.since}, last heartbeat ${view.heartbeat}${was}); now ${taskNote}${ttlNote}`,
        warnings,
        now,
      );
    }
    return { done: { action, claim, previous: view, mirror, warnings } };
  });
}

/** The identity `wt` has now: null once it is gone. */
async function linkedOrMainIdentity(repo: Repo, wt: WorktreeInfo): Promise<string | null> {
  if (wt.main) return wt.identity;
  const now = (await worktrees(repo)).find((w) => w.path === wt.path);
  return now?.identity ?? null;
}

/**
 * Whether `current`, this agent's claim from this clone, is one whose push landed while the
 * network failed before its answer came back: it was never renewed (its heartbeat is its start),
 * and the entry every claim logs at its start is missing from this machine's log. A re-run of the
 * claim is how it is found (the claim's own retry is the user's), and says so.
 */
async function landedUnlogged(
  repo: Repo,
  current: StoredClaim,
  agent: string,
  name: string,
): Promise<boolean> {
  const { record } = current;
  if (current.foreign || record.agent !== agent || record.removing) return false;
  if (record.since !== record.heartbeat) return false;
  const at = Date.parse(record.since);
  const logged = await readLog(repo, { from: at, to: at + 1, agent, worktree: name }).catch(
    () => null,
  );
  return logged !== null && logged.length === 0;
}
