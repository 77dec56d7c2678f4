import * as z from 'zod/mini';
import '../util/zod.js';
import { agentProblem } from '../config/identity.js';
import { MAX_DURATION_MS } from '../util/duration.js';
import { taskProblem } from './task.js';

/**
 * The claim record: the JSON in the blob a claim ref points at, and the Claim other modules and
 * --json see. Anyone can write a blob and point a ref at it, so a record is validated whole,
 * ranges included: one that cannot be read, or whose times would not be times (a TTL of 1e308,
 * a heartbeat in the year 275760), is a stale claim by "unknown", never an exception that takes
 * `claims`, `status` or `sync` down for everyone.
 */

const UNKNOWN_AGENT = 'unknown';

/** What sync and status need of a worktree's claim. */
export type ClaimSummary = Pick<Claim, 'agent' | 'task' | 'since' | 'stale'>;

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
  /** The folder of the worktree the claim holds; null when orphaned or on another machine. */
  path: string | null;
  /**
   * The worktree it was taken on is gone, or was replaced by a new one of the same name: the
   * claim holds nothing and counts as released.
   */
  orphaned: boolean;
  /** Held by a `worktree remove` in progress (or one that was killed). */
  removing: boolean;
}

/** What the ref's blob holds. */
export interface ClaimRecord {
  v: number;
  worktree: string;
  agent: string;
  task: string | null;
  since: string;
  heartbeat: string;
  ttlMs: number;
  /**
   * The identity of the worktree the claim was taken on (see identity.ts). null in records of
   * version 1 and in unreadable ones: those hold whichever worktree has the name.
   */
  worktreeId: string | null;
  /** Where that worktree was, for messages about an orphaned claim. */
  path: string | null;
  /** Taken by `worktree remove` for the time of the removal. */
  removing: boolean;
  /**
   * The clone that took it (ref-store.ts cloneId), so that under remote coordination another
   * clone judges it by name and with its clock skew allowance; null in older records.
   */
  clone: string | null;
}

/** UTC ISO-8601 as toISOString writes it, years 0000-9999: heartbeat + TTL is always a date. */
const time = z.iso.datetime().check(z.refine((s) => Number.isFinite(Date.parse(s))));

const recordSchema = z.object({
  // Later versions may add fields: a record is read by the fields this version knows.
  v: z.optional(z.number().check(z.int(), z.gte(1))),
  agent: z.string().check(z.refine((a) => agentProblem(a) === null)),
  task: z.optional(z.nullable(z.string().check(z.refine((t) => taskProblem(t) === null)))),
  since: time,
  heartbeat: time,
  ttlMs: z.number().check(z.int(), z.gte(1), z.lte(MAX_DURATION_MS)),
  worktreeId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  path: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  removing: z.optional(z.boolean()),
  clone: z.optional(z.string().check(z.minLength(1), z.maxLength(4200))),
});

/** The record in a claim blob, or null when it cannot be read. Never throws. */
export function parseClaimRecord(content: string, worktree: string): ClaimRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return null;
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) return null;
  const r = parsed.data;
  return {
    v: r.v ?? 1,
    worktree,
    agent: r.agent,
    task: r.task ?? null,
    since: r.since,
    heartbeat: r.heartbeat,
    ttlMs: r.ttlMs,
    worktreeId: r.worktreeId ?? null,
    path: r.path ?? null,
    removing: r.removing ?? false,
    clone: r.clone ?? null,
  };
}

/** A blob that cannot be read: a claim by "unknown" that is already stale. */
function unreadableRecord(worktree: string): ClaimRecord {
  const epoch = new Date(0).toISOString();
  return {
    v: 1,
    worktree,
    agent: UNKNOWN_AGENT,
    task: 'unreadable claim',
    since: epoch,
    heartbeat: epoch,
    ttlMs: 1,
    worktreeId: null,
    path: null,
    removing: false,
    clone: null,
  };
}

export function readClaimRecord(content: string, worktree: string): ClaimRecord {
  return parseClaimRecord(content, worktree) ?? unreadableRecord(worktree);
}

/** The blob content of a record, as this version writes it. */
export function serializeClaimRecord(record: ClaimRecord): string {
  const { worktreeId, path, removing, clone, ...rest } = record;
  return JSON.stringify({
    ...rest,
    v: 2,
    ...(worktreeId !== null ? { worktreeId } : {}),
    ...(path !== null ? { path } : {}),
    ...(removing ? { removing } : {}),
    ...(clone !== null ? { clone } : {}),
  });
}

/** A worktree as far as binding a claim goes. */
export interface ClaimTarget {
  name: string;
  path: string;
  identity: string | null;
}

/**
 * The worktree a record holds among `worktrees`, or null when it holds none (orphaned): the one
 * with the recorded identity; for a record without one, the first of that name.
 */
export function claimTarget<T extends ClaimTarget>(
  record: ClaimRecord,
  worktrees: readonly T[],
): T | null {
  const named = worktrees.filter((w) => w.name === record.worktree);
  if (record.worktreeId === null) return named[0] ?? null;
  return named.find((w) => w.identity === record.worktreeId) ?? null;
}

/**
 * The claim `record` makes, bound to `target`. No target means orphaned (its worktree is gone),
 * unless the claim was taken on another clone (`foreign`, remote coordination): its worktree may
 * exist only on that machine, which this one cannot see, so the claim still holds.
 */
export function toClaim(
  record: ClaimRecord,
  target: ClaimTarget | null,
  now: Date,
  foreign = false,
): Claim {
  const expires = Date.parse(record.heartbeat) + record.ttlMs;
  return {
    worktree: record.worktree,
    agent: record.agent,
    task: record.task,
    since: record.since,
    heartbeat: record.heartbeat,
    expires: new Date(expires).toISOString(),
    stale: now.getTime() >= expires,
    path: target?.path ?? null,
    orphaned: target === null && !foreign,
    removing: record.removing,
  };
}
