import path from 'node:path';
import {
  ClaimedError,
  ConfigError,
  ExitCode,
  RefusedError,
  TmcError,
  UsageError,
} from '../errors.js';
import {
  compareAndDeleteRef,
  compareAndSwapRef,
  lockWorktree,
  readRefValue,
  readRefValues,
  unlockWorktree,
  writeBlob,
  type SwapResult,
} from '../git/index.js';
import type { Repo } from '../repo.js';
import { appendLog } from '../status/log.js';
import { formatDuration, readDuration } from '../util/duration.js';
import {
  claimTarget,
  readClaimRecord,
  serializeClaimRecord,
  toClaim,
  type Claim,
  type ClaimRecord,
  type ClaimTarget,
} from './claim-record.js';
import { decideClaim, decideRelease, decideRemoval, type Seen } from './claim-decision.js';
import { identityOfGitDir } from './identity.js';
import {
  lookupName,
  missingWorktreeError,
  ambiguousWorktreeError,
  pickWorktree,
  worktrees,
  type WorktreeInfo,
} from './lookup.js';
import { assertWorktreeName } from './names.js';

export type { Claim } from './claim-record.js';

/**
 * Claims: which agent works in which worktree.
 *
 * The claim of worktree <name> is the ref refs/tmc-orch/claims/<name> in the common git dir
 * (shared by every worktree), pointing at a blob that holds the claim as JSON. It is changed only
 * by compare-and-swap (`git update-ref <ref> <new> <old>`): a claim, a renewal, a take-over or a
 * release succeeds only if the ref still holds exactly the claim the process looked at, so any
 * number of racing processes produce one winner and never a lost or half-written claim.
 *
 * A claim holds the worktree it was taken on (its identity, see identity.ts), not a name: once
 * that worktree is removed, by tmc-orch or by plain git, the claim is orphaned and counts as
 * released, and a new worktree of the same name starts unclaimed. `worktree remove` holds the
 * claim itself while it removes (a "removing" claim, taken and given back by compare-and-swap),
 * and a claim checks after its swap that its worktree is still there, undoing itself otherwise:
 * a claim and a removal racing never both succeed.
 *
 * `git worktree lock --reason "claimed by <agent>: <task>"` mirrors the claim so plain git and
 * other worktree tools leave the folder alone. The ref decides; the lock follows it, best effort.
 *
 * Git runs in the common git dir throughout: the worktree a command started in may be the one it
 * removes.
 */

export const CLAIM_REF_PREFIX = 'refs/tmc-orch/claims/';
const CLAIM_REASON_PREFIX = 'claimed by ';
const MAX_ATTEMPTS = 30;
const STUCK_LOCK_ATTEMPTS = 6;

interface StoredClaim {
  /** The blob the ref points at: the identity of this exact claim for compare-and-swap. */
  oid: string;
  record: ClaimRecord;
}

export function claimRef(worktree: string): string {
  return `${CLAIM_REF_PREFIX}${worktree}`;
}

async function readStored(repo: Repo, worktree: string): Promise<StoredClaim | null> {
  const value = await readRefValue(repo.commonDir, claimRef(worktree));
  return value ? { oid: value.oid, record: readClaimRecord(value.content, worktree) } : null;
}

/**
 * Every claim, by worktree name, each bound to the worktree it holds among `list` (default:
 * every worktree git knows) or orphaned.
 */
export async function listClaims(
  repo: Repo,
  now: Date = new Date(),
  list?: readonly ClaimTarget[],
): Promise<Claim[]> {
  const [values, all] = await Promise.all([
    readRefValues(repo.commonDir, CLAIM_REF_PREFIX),
    list ?? worktrees(repo),
  ]);
  return values
    .map((v) => {
      const record = readClaimRecord(v.content, v.ref.slice(CLAIM_REF_PREFIX.length));
      return toClaim(record, claimTarget(record, all), now);
    })
    .sort((a, b) => a.worktree.localeCompare(b.worktree));
}

/** The claim as seen from worktree `wt` (orphaned unless it holds that very worktree). */
function claimOn(record: ClaimRecord, wt: WorktreeInfo, now: Date): Claim {
  return toClaim(record, claimTarget(record, [wt]), now);
}

async function swap(
  repo: Repo,
  record: ClaimRecord,
  expectedOid: string | null,
): Promise<SwapResult & { oid: string }> {
  const oid = await writeBlob(repo.commonDir, serializeClaimRecord(record));
  const result = await compareAndSwapRef(
    repo.commonDir,
    claimRef(record.worktree),
    oid,
    expectedOid,
  );
  return { ...result, oid };
}

/** Puts back `previous` (null: no claim) where `ours` is; false if the ref holds something else. */
async function putBack(
  repo: Repo,
  name: string,
  ours: string,
  previous: string | null,
): Promise<boolean> {
  const result =
    previous === null
      ? await compareAndDeleteRef(repo.commonDir, claimRef(name), ours)
      : await compareAndSwapRef(repo.commonDir, claimRef(name), previous, ours);
  return result.swapped;
}

/** "09:14 UTC" today, else "2025-01-14 09:14 UTC". */
export function formatClaimTime(iso: string, now: Date = new Date()): string {
  const day = iso.slice(0, 10);
  const time = `${iso.slice(11, 16)} UTC`;
  return day === now.toISOString().slice(0, 10) ? time : `${day} ${time}`;
}

function describe(claim: Claim, now: Date): string {
  const task = claim.task ? ` (task: ${claim.task})` : '';
  const what = claim.removing ? 'being removed by' : 'claimed by';
  return `${what} ${claim.agent} since ${formatClaimTime(claim.since, now)}${task}`;
}

function claimedError(claim: Claim, now: Date, next: string): ClaimedError {
  const staleNote = claim.stale
    ? `; it is stale (no heartbeat since ${formatClaimTime(claim.heartbeat, now)})`
    : '';
  return new ClaimedError(
    `worktree "${claim.worktree}" is ${describe(claim, now)}${staleNote}; ${next}`,
    { claim },
  );
}

/** The claim TTL in ms of config claims.ttl (validated with the config). */
function configTtl(repo: Repo): number {
  const result = readDuration(repo.config.claims.ttl);
  if (result.ok) return result.ms;
  throw new ConfigError(
    `invalid config ${repo.configFile ?? '(defaults)'}: claims.ttl: ${JSON.stringify(repo.config.claims.ttl)} ${result.problem}`,
  );
}

export function lockReason(claim: Pick<Claim, 'agent' | 'task'>): string {
  return `${CLAIM_REASON_PREFIX}${claim.agent}${claim.task ? `: ${claim.task}` : ''}`;
}

/** Whether a git worktree lock reason is a claim's mirror (made by tmc-orch). */
export function isMirrorLock(reason: string | null): boolean {
  return reason !== null && reason.startsWith(CLAIM_REASON_PREFIX);
}

/**
 * What the git lock says after syncing: "locked"/"unlocked" as the claim wants, "foreign" when
 * the worktree was locked by hand for another reason (left alone), "none" for the main worktree
 * (git cannot lock it) or a worktree git no longer knows, "failed" when git kept refusing.
 */
export type MirrorState = 'locked' | 'unlocked' | 'foreign' | 'none' | 'failed';

/**
 * Makes the git worktree lock of `wt` follow the claim ref: locked while a claim holds it,
 * unlocked when none does (an orphaned claim or a removal in progress holds no lock). Re-reads
 * both until they agree, so racing claimers converge on the lock of whoever holds the ref.
 */
export async function syncLockMirror(repo: Repo, wt: WorktreeInfo): Promise<MirrorState> {
  if (wt.main) return 'none';
  for (let attempt = 0; attempt < 4; attempt++) {
    const [stored, all] = await Promise.all([readStored(repo, wt.name), worktrees(repo)]);
    const now = all.find((w) => w.path === wt.path && w.identity === wt.identity);
    if (!now) return 'none';
    const holds = stored !== null && claimTarget(stored.record, [now]) !== null;
    const wanted = holds && !stored.record.removing ? lockReason(stored.record) : null;
    if (now.locked === wanted) return wanted === null ? 'unlocked' : 'locked';
    if (now.locked !== null && !isMirrorLock(now.locked)) return 'foreign';
    try {
      if (now.locked !== null) await unlockWorktree(repo.commonDir, now.path);
      if (wanted !== null) await lockWorktree(repo.commonDir, now.path, wanted);
    } catch {
      // Another process changed the lock between our read and write: read again.
    }
  }
  return 'failed';
}

async function pause(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * (attempt + 1)) * (0.5 + Math.random());
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Whether git failed because the ref's lock file exists. git already waits 100 ms for a lock
 * held by a live process (core.filesRefLockTimeout), so a lock that stays for
 * STUCK_LOCK_ATTEMPTS attempts in a row was left by a killed git.
 */
function lockHeld(reason: string): boolean {
  return /Unable to create '.*\.lock': File exists/.test(reason);
}

function stuckError(name: string, reason: string, repo: Repo): Error {
  return new RefusedError(
    `could not update the claim of ${name} (${reason || 'ref kept changing'}); if no other tmc-orch or git process is running, a killed git may have left ${path.join(repo.commonDir, claimRef(name))}.lock behind: delete that file and retry`,
  );
}

type Attempt<T> = { done: T } | { lost: string };

/**
 * Runs `attempt` until it is done. An attempt that lost its compare-and-swap (another process
 * changed the ref, or held git's ref lock) is retried after a pause; a ref lock that stays held
 * for STUCK_LOCK_ATTEMPTS attempts in a row was left by a killed git, and stops the loop.
 */
async function untilSwapped<T>(
  repo: Repo,
  name: string,
  attempt: (n: number) => Promise<Attempt<T>>,
): Promise<T> {
  let reason = '';
  let held = 0;
  for (let n = 0; n < MAX_ATTEMPTS; n++) {
    if (n > 0) await pause(n);
    const outcome = await attempt(n);
    if ('done' in outcome) return outcome.done;
    reason = outcome.lost;
    held = lockHeld(reason) ? held + 1 : 0;
    if (held >= STUCK_LOCK_ATTEMPTS) break;
  }
  throw stuckError(name, reason, repo);
}

/** The claim found against the one first seen (see Seen); `first` is updated on the first look. */
function tracker(): (oid: string | null) => Seen {
  let first: string | null | undefined;
  return (oid) => {
    if (first === undefined) first = oid;
    if (oid === first) return 'same';
    return first === null ? 'was-free' : 'changed';
  };
}

/** Writes a log entry; a full disk or missing shared folder must not undo a claim. */
async function logQuietly(
  repo: Repo,
  agent: string,
  worktree: string,
  message: string,
  warnings: string[],
): Promise<void> {
  try {
    await appendLog(repo, { agent, worktree, message, source: 'tmc-orch' });
  } catch (error) {
    warnings.push(`could not write the status log: ${(error as Error).message}`);
  }
}

export interface ClaimOptions {
  name: string;
  agent: string;
  /** What the agent does there; null for none; undefined keeps the task of a renewed claim. */
  task?: string | null;
  /** The TTL in ms; undefined: config claims.ttl (a renewed claim keeps its own). */
  ttlMs?: number;
  /** Take over a claim whose heartbeat is older than its TTL. */
  stealStale?: boolean;
  /** Take over any claim. */
  force?: boolean;
}

export type ClaimAction = 'claimed' | 'renewed' | 'took-over-stale' | 'forced';

export interface ClaimResult {
  action: ClaimAction;
  claim: Claim;
  /** The claim that was taken over or replaced (an orphaned one), if any. */
  previous: Claim | null;
  mirror: MirrorState;
  warnings: string[];
}

function claimRefusal(
  why: 'held' | 'removing' | 'own-removal' | 'changed',
  claim: Claim,
  name: string,
  now: Date,
): ClaimedError {
  switch (why) {
    case 'changed':
      return claimedError(
        claim,
        now,
        'it changed while you were taking it over, so nothing was done; run tmc-orch claims and decide again',
      );
    case 'own-removal':
      return claimedError(
        claim,
        now,
        `if that removal was killed, finish it with tmc-orch worktree remove ${name}, or keep the worktree: tmc-orch release ${name}`,
      );
    case 'removing':
      return claimedError(
        claim,
        now,
        claim.stale
          ? `if that removal was killed, take the worktree over: tmc-orch claim ${name} --steal-stale`
          : 'wait for the removal to end, then see tmc-orch worktree list',
      );
    case 'held':
      return claimedError(
        claim,
        now,
        claim.stale
          ? `ask them, or take it over: tmc-orch claim ${name} --steal-stale`
          : `ask them, or take it over anyway: tmc-orch claim ${name} --force`,
      );
  }
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

  const seenOf = tracker();
  return untilSwapped<ClaimResult>(repo, options.name, async () => {
    const now = new Date();
    const stamp = now.toISOString();
    const current = await readStored(repo, options.name);
    const view = current ? claimOn(current.record, wt, now) : null;
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
      throw claimRefusal(decision.why, decision.claim, options.name, now);
    }
    const bound = { worktreeId: identity, path: wt.path, removing: false };
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

    const result = await swap(repo, next, current?.oid ?? null);
    if (!result.swapped) return { lost: result.reason };
    if ((await linkedOrMainIdentity(repo, wt)) !== identity) {
      await putBack(repo, options.name, result.oid, current?.oid ?? null);
      throw new RefusedError(
        `worktree ${options.name} was removed while you were claiming it, so nothing was claimed; see tmc-orch worktree list`,
      );
    }
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
    const claim = claimOn(next, wt, now);
    const ttlNote = `ttl ${formatDuration(next.ttlMs)}`;
    const taskNote = claim.task ? `task: ${claim.task}, ` : '';
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

function unidentifiedError(wt: WorktreeInfo): UsageError {
  return new UsageError(
    `git's record of worktree ${wt.name} (${wt.path}) cannot be read; run git worktree repair ${wt.path}, then retry`,
  );
}

export interface ReleaseOptions {
  name: string;
  agent: string;
  /** Release another agent's claim (only the exact claim seen). */
  force?: boolean;
}

export interface ReleaseResult {
  worktree: string;
  /** False when there was no claim to release. */
  released: boolean;
  /** The claim that was released. */
  previous: Claim | null;
  mirror: MirrorState;
  warnings: string[];
}

/**
 * Releases the agent's own claim, anyone's orphaned claim, or with force another agent's
 * (compare-and-swap delete of the exact claim seen). A name with no worktree is still looked up
 * in the claims: the orphaned claim of a removed worktree can be released.
 */
export async function releaseWorktree(repo: Repo, options: ReleaseOptions): Promise<ReleaseResult> {
  assertWorktreeName(options.name);
  const found = lookupName(await worktrees(repo), options.name);
  if (found.status === 'ambiguous') throw ambiguousWorktreeError(options.name, found.paths);
  const wt = found.status === 'found' ? found.worktree : null;
  const seenOf = tracker();
  return untilSwapped<ReleaseResult>(repo, options.name, async () => {
    const now = new Date();
    const current = await readStored(repo, options.name);
    const seen = seenOf(current?.oid ?? null);
    if (!current) {
      if (found.status === 'missing') throw missingWorktreeError(options.name, found.known);
      const mirror = wt ? await syncLockMirror(repo, wt) : 'none';
      return {
        done: { worktree: options.name, released: false, previous: null, mirror, warnings: [] },
      };
    }
    const claim = wt ? claimOn(current.record, wt, now) : toClaim(current.record, null, now);
    const decision = decideRelease(
      claim,
      { agent: options.agent, force: Boolean(options.force) },
      seen,
    );
    if (decision.kind === 'refuse') {
      throw claimedError(
        decision.claim,
        now,
        decision.why === 'changed'
          ? 'it changed while you were releasing it, so nothing was done; run tmc-orch claims and decide again'
          : `only its owner can release it; ask them, or run: tmc-orch release ${options.name} --force`,
      );
    }
    const result = await compareAndDeleteRef(repo.commonDir, claimRef(options.name), current.oid);
    if (!result.swapped) return { lost: result.reason };
    const warnings: string[] = [];
    const mirror = wt ? await syncLockMirror(repo, wt) : 'none';
    if (mirror === 'failed') warnings.push('could not remove the git worktree lock mirror');
    const message =
      decision.how === 'own'
        ? 'released'
        : decision.how === 'orphaned'
          ? `dropped the orphaned claim of ${claim.agent} (since ${claim.since}; its worktree is gone)`
          : `force-released the claim of ${claim.agent} (since ${claim.since}, last heartbeat ${claim.heartbeat})`;
    await logQuietly(repo, options.agent, options.name, message, warnings);
    return { done: { worktree: options.name, released: true, previous: claim, mirror, warnings } };
  });
}

/**
 * The claim `worktree remove` holds while it removes. `giveBack` after a refusal or a failure
 * puts back exactly the claim that was there; `finish` after the removal deletes it (the
 * worktree is gone, so a claim left there would be orphaned anyway).
 */
export interface RemovalHold {
  /** The agent's own claim that the removal replaced, if any. */
  own: Claim | null;
  giveBack(): Promise<void>;
  /** `note`, when given, is logged even when no claim of the agent's was released. */
  finish(warnings: string[], note?: string): Promise<void>;
}

/**
 * Takes the claim of `wt` for a removal by compare-and-swap: from nobody, from an orphaned claim
 * or from the agent's own claim; another agent's claim is a ClaimedError. A claimed worktree
 * needs an explicit agent id: `agentFor` throws when there is none.
 */
export async function holdForRemoval(
  repo: Repo,
  wt: WorktreeInfo,
  agentFor: (claimed: boolean) => string,
): Promise<RemovalHold> {
  if (wt.identity === null) throw unidentifiedError(wt);
  const identity = wt.identity;
  return untilSwapped<RemovalHold>(repo, wt.name, async () => {
    const now = new Date();
    const stamp = now.toISOString();
    const current = await readStored(repo, wt.name);
    const view = current ? claimOn(current.record, wt, now) : null;
    const agent = agentFor(view !== null && !view.orphaned);
    const decision = decideRemoval(view, agent);
    if (decision.kind === 'refuse') {
      const { claim } = decision;
      const next = claim.stale
        ? `ask them, or take it over first: tmc-orch claim ${wt.name} --steal-stale`
        : `ask them, or wait until it goes stale at ${formatClaimTime(claim.expires, now)}`;
      throw claimedError(claim, now, `worktree remove refused: ${next}`);
    }
    const record: ClaimRecord = {
      v: 2,
      worktree: wt.name,
      agent,
      task: decision.own && current ? current.record.task : null,
      since: decision.own && current ? current.record.since : stamp,
      heartbeat: stamp,
      ttlMs: configTtl(repo),
      worktreeId: identity,
      path: wt.path,
      removing: true,
    };
    const result = await swap(repo, record, current?.oid ?? null);
    if (!result.swapped) return { lost: result.reason };
    const own = decision.own ? view : null;
    return {
      done: {
        own,
        giveBack: async () => {
          await putBack(repo, wt.name, result.oid, current?.oid ?? null);
          await syncLockMirror(repo, wt);
        },
        finish: async (warnings, note) => {
          await compareAndDeleteRef(repo.commonDir, claimRef(wt.name), result.oid);
          const released = own ? 'released (worktree removed)' : null;
          const message = [released, note].filter(Boolean).join('; ');
          if (message) await logQuietly(repo, agent, wt.name, message, warnings);
        },
      },
    };
  });
}

/**
 * The heartbeat policy, applied after every command (src/cli/action.ts): every command the owner
 * of a claimed worktree runs there renews the claim's heartbeat, a refused one included (a gate
 * over the limit, a claim refused: the owner is alive); bad input changes nothing on disk, the
 * heartbeat included. Never fails the command: outside a repository, or when git fails, the
 * command's own result stands.
 */
export async function heartbeatAfter(
  failure: unknown,
  repo: () => Promise<Repo>,
  agent: string,
): Promise<void> {
  if (failure instanceof TmcError && failure.exitCode === ExitCode.usage) return;
  try {
    await renewHeartbeat(await repo(), agent);
  } catch {
    // Outside a repository, or git failed: the command's own result stands.
  }
}

/**
 * Renews the heartbeat of `agent`'s claim on the worktree `repo` runs in. Costs one for-each-ref when there is nothing to renew and never throws: a command
 * must not fail because its heartbeat could not be written. Only a claim that holds this very
 * worktree is renewed: not an orphaned one, not a removal's.
 */
export async function renewHeartbeat(repo: Repo, agent: string): Promise<boolean> {
  try {
    const name = path.basename(repo.toplevel);
    const current = await readStored(repo, name);
    if (!current || current.record.agent !== agent || current.record.removing) return false;
    const now = Date.now();
    // Fresh enough: spare the object store a blob per command.
    const every = Math.min(5 * 60_000, current.record.ttlMs / 10);
    if (now - Date.parse(current.record.heartbeat) < every) return false;
    const { worktreeId } = current.record;
    if (worktreeId !== null) {
      if ((await identityOfGitDir(repo.gitDir, repo.commonDir)) !== worktreeId) return false;
    }
    const next = { ...current.record, heartbeat: new Date(now).toISOString() };
    // One attempt: if the claim changed (taken over, released), that change wins.
    return (await swap(repo, next, current.oid)).swapped;
  } catch {
    return false;
  }
}

/**
 * After `worktree add`: a claim left under the new worktree's name holds an earlier worktree
 * (removed with plain git). It is orphaned, but a record of version 1 (no identity) would hold
 * any worktree of that name: it is dropped, exactly as seen, so the new worktree starts free.
 */
export async function dropLeftoverClaim(repo: Repo, wt: WorktreeInfo): Promise<Claim | null> {
  const current = await readStored(repo, wt.name);
  if (!current || current.record.worktreeId === wt.identity) return null;
  const dropped = await compareAndDeleteRef(repo.commonDir, claimRef(wt.name), current.oid);
  return dropped.swapped ? toClaim(current.record, null, new Date()) : null;
}
