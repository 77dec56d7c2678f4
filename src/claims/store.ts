import path from 'node:path';
import { UsageError } from '../errors.js';
import type { SwapResult } from '../git/index.js';
import type { Repo } from '../repo.js';
import { durationMs } from '../util/duration.js';
import { worktrees, type WorktreeInfo } from '../worktrees/lookup.js';
import { knownCloneId, localClaimStore, type ClaimStore, type StoredValue } from './ref-store.js';
import {
  claimTarget,
  readClaimRecord,
  serializeClaimRecord,
  toClaim,
  type Claim,
  type ClaimRecord,
  type ClaimTarget,
} from './record.js';

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
 *
 * Where the refs live is the ClaimStore's business (ref-store.ts): this clone's refs, or under
 * coordination "remote" the same refs on the git remote, changed by pushes with a lease
 * (remote-store.ts), with this clone's refs as the mirror of the remote's answers.
 */

export interface StoredClaim {
  /** The object the ref points at: the identity of this exact claim for compare-and-swap. */
  oid: string;
  record: ClaimRecord;
  /**
   * Taken by another clone (remote coordination): its worktree identity means nothing here, so
   * it holds the worktree of its name, and its heartbeat is judged with the clock skew allowance.
   */
  foreign: boolean;
}

/**
 * Where this command reads and swaps claims: this clone's refs, or the remote's (config
 * coordination "remote", unless --offline: then reads come from the local mirror and changes are
 * refused).
 */
export async function storeOf(repo: Repo, change: boolean): Promise<ClaimStore> {
  if (repo.config.coordination !== 'remote') return localClaimStore(repo);
  if (repo.offline) {
    if (!change) return localClaimStore(repo);
    throw new UsageError(
      'claims are shared through the remote (coordination "remote"), so --offline can only read them; re-run without --offline once the remote is reachable',
    );
  }
  const { remoteClaimStore } = await import('./remote-store.js');
  return remoteClaimStore(repo);
}

/**
 * `clone`: this clone's identity (knownCloneId), read once per command by the caller: a record
 * naming any other clone was taken there.
 */
function toStored(
  repo: Repo,
  name: string,
  value: StoredValue,
  clone = knownCloneId(repo),
): StoredClaim {
  const record = readClaimRecord(value.text, name);
  const foreign =
    repo.config.coordination === 'remote' && record.clone !== null && record.clone !== clone;
  return { oid: value.oid, record: foreign ? { ...record, worktreeId: null } : record, foreign };
}

export async function readStored(
  repo: Repo,
  worktree: string,
  store: ClaimStore,
): Promise<StoredClaim | null> {
  const value = await store.read(worktree);
  return value ? toStored(repo, worktree, value) : null;
}

/** The claim as this clone last saw it: its own ref (under remote coordination, the mirror). */
export function readLocal(repo: Repo, worktree: string): Promise<StoredClaim | null> {
  return readStored(repo, worktree, localClaimStore(repo));
}

/**
 * The clock skew allowance of a claim: none for this clone's, remoteCoordination.skew for one
 * another clone took (its heartbeat was stamped by another machine's clock).
 */
export function skewOf(repo: Repo, stored: StoredClaim): number {
  if (!stored.foreign) return 0;
  return durationMs(repo.config.remoteCoordination.skew);
}

/**
 * Every claim, by worktree name, each bound to the worktree it holds among `list` (default:
 * every worktree git knows) or orphaned.
 */
export async function listClaims(
  repo: Repo,
  now: Date,
  list?: readonly ClaimTarget[],
): Promise<Claim[]> {
  const store = await storeOf(repo, false);
  const [values, all] = await Promise.all([store.list(), list ?? worktrees(repo)]);
  const clone = knownCloneId(repo);
  return [...values]
    .map(([name, v]) => {
      const stored = toStored(repo, name, v, clone);
      const { record } = stored;
      return toClaim(record, claimTarget(record, all), now, stored.foreign, skewOf(repo, stored));
    })
    .sort((a, b) => a.worktree.localeCompare(b.worktree));
}

/** The claim as seen from worktree `wt` (orphaned unless it holds that very worktree). */
export function claimOn(repo: Repo, stored: StoredClaim, wt: WorktreeInfo, now: Date): Claim {
  const { record } = stored;
  return toClaim(record, claimTarget(record, [wt]), now, stored.foreign, skewOf(repo, stored));
}

export async function swap(
  store: ClaimStore,
  record: ClaimRecord,
  expectedOid: string | null,
): Promise<SwapResult & { oid: string }> {
  const oid = await store.write(serializeClaimRecord(record));
  const result = await store.swap(record.worktree, oid, expectedOid);
  return { ...result, oid };
}

/** Puts back `previous` (null: no claim) where `ours` is; false if the ref holds something else. */
export async function putBack(
  store: ClaimStore,
  name: string,
  ours: string,
  previous: string | null,
): Promise<boolean> {
  const result =
    previous === null ? await store.remove(name, ours) : await store.swap(name, previous, ours);
  return result.swapped;
}

/** The claim TTL in ms of config claims.ttl. */
export function configTtl(repo: Repo): number {
  return durationMs(repo.config.claims.ttl);
}

/**
 * After `worktree add`: a claim left under the new worktree's name holds an earlier worktree
 * (removed with plain git). It is orphaned, but a record of version 1 (no identity) would hold
 * any worktree of that name: it is dropped, exactly as seen, so the new worktree starts free.
 */
export async function dropLeftoverClaim(
  repo: Repo,
  wt: WorktreeInfo,
  now: Date,
): Promise<Claim | null> {
  const current = await readLocal(repo, wt.name);
  // Another clone's claim is theirs (remote coordination), whatever worktree it named.
  if (!current || current.foreign || current.record.worktreeId === wt.identity) return null;
  const dropped = await localClaimStore(repo).remove(wt.name, current.oid);
  return dropped.swapped ? toClaim(current.record, null, now) : null;
}

/** The claim holding each worktree, found by path (two worktrees may share a name). */
export function claimsByPath(
  repo: Repo,
  now: Date,
): (wt: { path: string }, list?: readonly ClaimTarget[]) => Promise<Claim | null> {
  let all: Promise<Map<string | null, Claim>> | undefined;
  const load = async (list: readonly ClaimTarget[] | undefined) =>
    new Map(
      (await listClaims(repo, now, list))
        .filter((c) => c.path !== null)
        .map((c) => [c.path, c] as const),
    );
  // `list`: every worktree, when the caller has listed them already (one process fewer).
  return async (wt, list) => (await (all ??= load(list))).get(wt.path) ?? null;
}
