import path from 'node:path';
import { ClaimedError, ConfigError, RefusedError, UsageError } from '../errors.js';
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
import { worktrees } from './lookup.js';
import { assertWorktreeName } from './names.js';

/**
 * Claims: which agent works in which worktree.
 *
 * The claim of worktree <name> is the ref refs/tmc-orch/claims/<name> in the common git dir
 * (shared by every worktree), pointing at a blob that holds the claim as JSON. It is changed only
 * by compare-and-swap (`git update-ref <ref> <new> <old>`): a claim, a renewal, a take-over or a
 * release succeeds only if the ref still holds exactly the claim the process looked at, so any
 * number of racing processes produce one winner and never a lost or half-written claim.
 *
 * `git worktree lock --reason "claimed by <agent>: <task>"` mirrors the claim so plain git and
 * other worktree tools leave the folder alone. The ref decides; the lock follows it, best effort.
 */

export const CLAIM_REF_PREFIX = 'refs/tmc-orch/claims/';
const CLAIM_REASON_PREFIX = 'claimed by ';
const MAX_TASK_LENGTH = 200;
const MAX_ATTEMPTS = 30;
const STUCK_LOCK_ATTEMPTS = 6;

/** A claim as other modules and --json see it. */
export interface Claim {
  worktree: string;
  agent: string;
  task: string | null;
  /** When the agent claimed it (UTC ISO-8601). */
  since: string;
  /** The last renewal. */
  heartbeat: string;
  /** heartbeat + TTL: from then on the claim is stale. */
  expires: string;
  stale: boolean;
}

/** What the ref's blob holds. */
interface ClaimRecord {
  v: 1;
  worktree: string;
  agent: string;
  task: string | null;
  since: string;
  heartbeat: string;
  ttlMs: number;
}

interface StoredClaim {
  /** The blob the ref points at: the identity of this exact claim for compare-and-swap. */
  oid: string;
  record: ClaimRecord;
}

export function claimRef(worktree: string): string {
  return `${CLAIM_REF_PREFIX}${worktree}`;
}

/** Parses a claim blob; anything unreadable is a claim by "unknown" that is already stale. */
function parseRecord(content: string, worktree: string): ClaimRecord {
  try {
    const raw = JSON.parse(content) as Partial<ClaimRecord>;
    if (
      typeof raw.agent === 'string' &&
      typeof raw.since === 'string' &&
      typeof raw.heartbeat === 'string' &&
      typeof raw.ttlMs === 'number' &&
      !Number.isNaN(Date.parse(raw.heartbeat))
    ) {
      return {
        v: 1,
        worktree,
        agent: raw.agent,
        task: typeof raw.task === 'string' ? raw.task : null,
        since: raw.since,
        heartbeat: raw.heartbeat,
        ttlMs: raw.ttlMs,
      };
    }
  } catch {
    // Fall through: a hand-made or damaged blob.
  }
  const epoch = new Date(0).toISOString();
  return {
    v: 1,
    worktree,
    agent: 'unknown',
    task: 'unreadable claim',
    since: epoch,
    heartbeat: epoch,
    ttlMs: 0,
  };
}

function toClaim(record: ClaimRecord, now: Date): Claim {
  const expires = Date.parse(record.heartbeat) + record.ttlMs;
  return {
    worktree: record.worktree,
    agent: record.agent,
    task: record.task,
    since: record.since,
    heartbeat: record.heartbeat,
    expires: new Date(expires).toISOString(),
    stale: now.getTime() >= expires,
  };
}

async function readStored(repo: Repo, worktree: string): Promise<StoredClaim | null> {
  const value = await readRefValue(repo.toplevel, claimRef(worktree));
  return value ? { oid: value.oid, record: parseRecord(value.content, worktree) } : null;
}

/** The claim on a worktree, or null when nobody holds it. */
export async function readClaim(
  repo: Repo,
  worktreeName: string,
  now: Date = new Date(),
): Promise<Claim | null> {
  const stored = await readStored(repo, worktreeName);
  return stored ? toClaim(stored.record, now) : null;
}

/** Every claim, by worktree name. */
export async function listClaims(repo: Repo, now: Date = new Date()): Promise<Claim[]> {
  const values = await readRefValues(repo.toplevel, CLAIM_REF_PREFIX);
  return values
    .map((v) => {
      const worktree = v.ref.slice(CLAIM_REF_PREFIX.length);
      return toClaim(parseRecord(v.content, worktree), now);
    })
    .sort((a, b) => a.worktree.localeCompare(b.worktree));
}

async function swap(
  repo: Repo,
  record: ClaimRecord,
  expectedOid: string | null,
): Promise<SwapResult> {
  const oid = await writeBlob(repo.toplevel, JSON.stringify(record));
  return compareAndSwapRef(repo.toplevel, claimRef(record.worktree), oid, expectedOid);
}

/** "09:14 UTC" today, else "2025-01-14 09:14 UTC". */
export function formatClaimTime(iso: string, now: Date = new Date()): string {
  const day = iso.slice(0, 10);
  const time = `${iso.slice(11, 16)} UTC`;
  return day === now.toISOString().slice(0, 10) ? time : `${day} ${time}`;
}

function describe(claim: Claim, now: Date): string {
  const task = claim.task ? ` (task: ${claim.task})` : '';
  return `claimed by ${claim.agent} since ${formatClaimTime(claim.since, now)}${task}`;
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

/** Throws ClaimedError when someone other than `agent` holds the worktree. */
export async function assertNotClaimedByOther(
  repo: Repo,
  worktree: string,
  agent: string | undefined,
  doing: string,
): Promise<Claim | null> {
  const now = new Date();
  const claim = await readClaim(repo, worktree, now);
  if (claim && claim.agent !== agent) {
    const next = claim.stale
      ? `ask them, or take it over first: tmc-orch claim ${worktree} --steal-stale`
      : `ask them, or wait until it goes stale at ${formatClaimTime(claim.expires, now)}`;
    throw claimedError(claim, now, `${doing} refused: ${next}`);
  }
  return claim;
}

function validateTask(task: string | undefined): string | null {
  if (task === undefined) return null;
  const trimmed = task.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new UsageError('--task must be one line without control characters; shorten it');
  }
  if (trimmed.length > MAX_TASK_LENGTH) {
    throw new UsageError(
      `--task is ${trimmed.length} characters long; keep it under ${MAX_TASK_LENGTH} and put details in tmc-orch log`,
    );
  }
  return trimmed === '' ? null : trimmed;
}

/** The claim TTL in ms from --ttl, else config claims.ttl (validated with the config). */
export function resolveTtl(repo: Repo, flag: string | undefined): number {
  const result = readDuration(flag ?? repo.config.claims.ttl);
  if (result.ok) return result.ms;
  if (flag !== undefined) throw new UsageError(`--ttl ${JSON.stringify(flag)} ${result.problem}`);
  throw new ConfigError(
    `invalid config ${repo.configFile ?? '(defaults)'}: claims.ttl: ${JSON.stringify(repo.config.claims.ttl)} ${result.problem}`,
  );
}

interface GitWorktreeRef {
  path: string;
  main: boolean;
  locked: string | null;
}

/** The worktree git knows under `name` (basename of its folder), main first as git lists it. */
async function gitWorktreeNamed(repo: Repo, name: string): Promise<GitWorktreeRef | null> {
  const wt = (await worktrees(repo)).find((w) => w.name === name);
  return wt ? { path: wt.path, main: wt.main, locked: wt.locked } : null;
}

async function requireWorktree(repo: Repo, name: string): Promise<GitWorktreeRef> {
  const wt = await gitWorktreeNamed(repo, name);
  if (!wt) {
    throw new UsageError(
      `no worktree named ${JSON.stringify(name)}; see tmc-orch worktree list, or create it with tmc-orch worktree add ${name}`,
    );
  }
  return wt;
}

export function lockReason(claim: Pick<Claim, 'agent' | 'task'>): string {
  return `${CLAIM_REASON_PREFIX}${claim.agent}${claim.task ? `: ${claim.task}` : ''}`;
}

/**
 * What the git lock says after syncing: "locked"/"unlocked" as the claim wants, "foreign" when
 * the worktree was locked by hand for another reason (left alone), "none" for the main worktree
 * (git cannot lock it) or a worktree git no longer knows, "failed" when git kept refusing.
 */
export type MirrorState = 'locked' | 'unlocked' | 'foreign' | 'none' | 'failed';

/**
 * Makes the git worktree lock follow the claim ref. Re-reads both until they agree, so racing
 * claimers converge on the lock of whoever holds the ref.
 */
export async function syncLockMirror(repo: Repo, name: string): Promise<MirrorState> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const [stored, wt] = await Promise.all([readStored(repo, name), gitWorktreeNamed(repo, name)]);
    if (!wt || wt.main) return 'none';
    const wanted = stored ? lockReason(stored.record) : null;
    if (wt.locked === wanted) return wanted === null ? 'unlocked' : 'locked';
    if (wt.locked !== null && !wt.locked.startsWith(CLAIM_REASON_PREFIX)) return 'foreign';
    try {
      if (wt.locked !== null) await unlockWorktree(repo.toplevel, wt.path);
      if (wanted !== null) await lockWorktree(repo.toplevel, wt.path, wanted);
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

/** Writes a log entry; a full disk or missing shared folder must not undo a claim. */
async function logQuietly(
  repo: Repo,
  agent: string,
  worktree: string,
  message: string,
  warnings: string[],
): Promise<void> {
  try {
    await appendLog(repo, { agent, worktree, message });
  } catch (error) {
    warnings.push(`could not write the status log: ${(error as Error).message}`);
  }
}

export interface ClaimOptions {
  name: string;
  agent: string;
  task?: string;
  ttl?: string;
  /** Take over a claim whose heartbeat is older than its TTL. */
  stealStale?: boolean;
  /** Take over any claim. */
  force?: boolean;
}

export type ClaimAction = 'claimed' | 'renewed' | 'took-over-stale' | 'forced';

export interface ClaimResult {
  action: ClaimAction;
  claim: Claim;
  /** The claim that was taken over, if any. */
  previous: Claim | null;
  mirror: MirrorState;
  warnings: string[];
}

/**
 * Claims a worktree for `agent`, renews the agent's own claim, or takes over another agent's
 * claim (stale with stealStale, any with force). A take-over applies only to the exact claim seen
 * first: if it changes meanwhile (another stealer won), the answer is ClaimedError, never a
 * second take-over.
 */
export async function claimWorktree(repo: Repo, options: ClaimOptions): Promise<ClaimResult> {
  assertWorktreeName(options.name);
  const task = validateTask(options.task);
  const ttlFlag = options.ttl === undefined ? undefined : resolveTtl(repo, options.ttl);
  const ttlMs = ttlFlag ?? resolveTtl(repo, undefined);
  await requireWorktree(repo, options.name);

  let seen: string | null | undefined;
  return untilSwapped<ClaimResult>(repo, options.name, async () => {
    const now = new Date();
    const stamp = now.toISOString();
    const current = await readStored(repo, options.name);
    if (seen === undefined) seen = current?.oid ?? null;
    const fresh: ClaimRecord = {
      v: 1,
      worktree: options.name,
      agent: options.agent,
      task,
      since: stamp,
      heartbeat: stamp,
      ttlMs,
    };

    let action: ClaimAction;
    let next: ClaimRecord;
    let previous: Claim | null = null;
    if (!current) {
      action = 'claimed';
      next = fresh;
    } else if (current.record.agent === options.agent) {
      action = 'renewed';
      next = {
        ...current.record,
        task: task ?? current.record.task,
        heartbeat: stamp,
        ttlMs: ttlFlag ?? current.record.ttlMs,
      };
    } else {
      previous = toClaim(current.record, now);
      const sameAsSeen = current.oid === seen;
      if (sameAsSeen && options.force) action = 'forced';
      else if (sameAsSeen && options.stealStale && previous.stale) action = 'took-over-stale';
      else if (seen !== null && !sameAsSeen && (options.force || options.stealStale)) {
        throw claimedError(
          previous,
          now,
          'it changed while you were taking it over, so nothing was done; run tmc-orch claims and decide again',
        );
      } else {
        const hint = previous.stale
          ? `ask them, or take it over: tmc-orch claim ${options.name} --steal-stale`
          : `ask them, or take it over anyway: tmc-orch claim ${options.name} --force`;
        throw claimedError(previous, now, hint);
      }
      next = fresh;
    }

    const result = await swap(repo, next, current?.oid ?? null);
    if (!result.swapped) return { lost: result.reason };
    const warnings: string[] = [];
    const mirror = await syncLockMirror(repo, options.name);
    if (mirror === 'failed') warnings.push(`could not mirror the claim into git worktree lock`);
    const claim = toClaim(next, now);
    const ttlNote = `ttl ${formatDuration(next.ttlMs)}`;
    const taskNote = claim.task ? `task: ${claim.task}, ` : '';
    if (action === 'claimed') {
      await logQuietly(
        repo,
        options.agent,
        options.name,
        `claimed (${taskNote}${ttlNote})`,
        warnings,
      );
    } else if (action !== 'renewed' && previous) {
      const how = action === 'forced' ? 'forced take-over' : 'took over stale claim';
      const was = previous.task ? `, task: ${previous.task}` : '';
      await logQuietly(
        repo,
        options.agent,
        options.name,
        `${how} of ${previous.agent} (since ${previous.since}, last heartbeat ${previous.heartbeat}${was}); now ${taskNote}${ttlNote}`,
        warnings,
      );
    }
    return { done: { action, claim, previous, mirror, warnings } };
  });
}

export interface ReleaseOptions {
  name: string;
  agent: string;
  /** Release another agent's claim (only the exact claim seen). */
  force?: boolean;
  /** Appended to the log entry, e.g. "worktree removed". */
  note?: string;
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

/** Releases the agent's own claim, or with force another agent's (compare-and-swap delete). */
export async function releaseWorktree(repo: Repo, options: ReleaseOptions): Promise<ReleaseResult> {
  assertWorktreeName(options.name);
  let seen: string | undefined;
  return untilSwapped<ReleaseResult>(repo, options.name, async (attempt) => {
    const now = new Date();
    const current = await readStored(repo, options.name);
    if (!current) {
      // A worktree that is gone may still have a claim to release; without either, it is a typo.
      if (attempt === 0) await requireWorktree(repo, options.name);
      const mirror = await syncLockMirror(repo, options.name);
      return {
        done: { worktree: options.name, released: false, previous: null, mirror, warnings: [] },
      };
    }
    seen ??= current.oid;
    const claim = toClaim(current.record, now);
    const own = current.record.agent === options.agent;
    if (!own && !options.force) {
      throw claimedError(
        claim,
        now,
        `only its owner can release it; ask them, or run: tmc-orch release ${options.name} --force`,
      );
    }
    if (!own && current.oid !== seen) {
      throw claimedError(
        claim,
        now,
        'it changed while you were releasing it, so nothing was done; run tmc-orch claims and decide again',
      );
    }
    const result = await compareAndDeleteRef(repo.toplevel, claimRef(options.name), current.oid);
    if (!result.swapped) return { lost: result.reason };
    const warnings: string[] = [];
    const mirror = await syncLockMirror(repo, options.name);
    if (mirror === 'failed') warnings.push('could not remove the git worktree lock mirror');
    const note = options.note ? ` (${options.note})` : '';
    const message = own
      ? `released${note}`
      : `force-released the claim of ${claim.agent} (since ${claim.since}, last heartbeat ${claim.heartbeat})${note}`;
    await logQuietly(repo, options.agent, options.name, message, warnings);
    return { done: { worktree: options.name, released: true, previous: claim, mirror, warnings } };
  });
}

/**
 * Renews the heartbeat of `agent`'s claim on the worktree `repo` runs in; called after every
 * command. Costs one for-each-ref when there is nothing to renew and never throws: a command
 * must not fail because its heartbeat could not be written.
 */
export async function renewHeartbeat(repo: Repo, agent: string): Promise<boolean> {
  try {
    const name = path.basename(repo.toplevel);
    const current = await readStored(repo, name);
    if (!current || current.record.agent !== agent) return false;
    const now = Date.now();
    // Fresh enough: spare the object store a blob per command.
    const every = Math.min(5 * 60_000, current.record.ttlMs / 10);
    if (now - Date.parse(current.record.heartbeat) < every) return false;
    const next = { ...current.record, heartbeat: new Date(now).toISOString() };
    // One attempt: if the claim changed (taken over, released), that change wins.
    return (await swap(repo, next, current.oid)).swapped;
  } catch {
    return false;
  }
}
