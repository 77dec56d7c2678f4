import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Repo } from '../repo.js';
import { formatDuration } from '../util/duration.js';
import { tryLock } from '../util/lock.js';
import type { ClaimRecord } from './record.js';
import { identityOfGitDir } from '../worktrees/identity.js';
import { worktrees } from '../worktrees/lookup.js';
import { syncLockMirror } from './mirror.js';
import type { ClaimStore } from './ref-store.js';
import { readLocal, storeOf, swap, type StoredClaim } from './store.js';

/**
 * Renewing a claim's heartbeat (the policy is in heartbeat.ts): evaluated only when the worktree
 * a command ran in has a claim ref, so that lines, check and the hook, usually run without one,
 * load none of the claim store, the locks or the worktree listing.
 */

/**
 * Whether a heartbeat written at `heartbeat` is due for renewal at `now`: after a tenth of the
 * TTL, at most five minutes. Fresher, it spares the object store a blob per command.
 */
export function heartbeatDue(record: Pick<ClaimRecord, 'heartbeat' | 'ttlMs'>, now: Date): boolean {
  return now.getTime() - Date.parse(record.heartbeat) >= renewalEvery(record.ttlMs);
}

function renewalEvery(ttlMs: number): number {
  return Math.min(5 * 60_000, ttlMs / 10);
}

/**
 * Renews the heartbeat of `agent`'s claim on the worktree `repo` runs in (one that has a claim
 * ref): one for-each-ref when there is nothing else to renew, and never throws: a command must
 * not fail because its heartbeat could not be written. Only a claim that holds this very
 * worktree is renewed: not an orphaned one, not a removal's.
 */
export async function renewHeartbeat(
  repo: Repo,
  agent: string,
  now: Date,
  warn: (text: string) => void,
): Promise<boolean> {
  try {
    const name = path.basename(repo.toplevel);
    // The local ref (under remote coordination, the mirror of the remote's last answer): a
    // command with nothing to renew costs no network, and a renewal at most one push.
    const current = await readLocal(repo, name);
    if (!current || current.record.agent !== agent || current.record.removing) return false;
    if (!heartbeatDue(current.record, now)) return false;
    const { worktreeId } = current.record;
    if (worktreeId !== null) {
      if ((await identityOfGitDir(repo.gitDir, repo.commonDir)) !== worktreeId) return false;
    }
    const next = { ...current.record, heartbeat: now.toISOString() };
    const store = await storeOf(repo, true);
    // One attempt: if the claim changed (taken over, released), that change wins.
    if (store.kind === 'local') return (await swap(store, next, current.oid)).swapped;
    return await renewOnRemote(repo, store, name, current, next, now, warn);
  } catch {
    return false;
  }
}

/** Where this clone keeps the time of its last heartbeat push per worktree name. */
const ATTEMPTS_DIR = 'tmc-orch-heartbeat';

/**
 * A renewal under remote coordination is a push, and there is at most one per renewal interval
 * whatever its outcome: the time of the last attempt is kept beside the mirror, and the processes
 * of this clone take turns (the others skip). Without that, a remote that is down or hangs would
 * cost every command in the worktree a timeout, and a claim another machine took over would
 * cost each a refused push. A failure is a warning; a lost lease mirrors the remote's answer,
 * git worktree lock included, so the next command has nothing to renew.
 */
async function renewOnRemote(
  repo: Repo,
  store: ClaimStore,
  name: string,
  current: StoredClaim,
  next: ClaimRecord,
  now: Date,
  warn: (text: string) => void,
): Promise<boolean> {
  const dir = path.join(repo.commonDir, ATTEMPTS_DIR);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  const release = await tryLock(`${file}.lock`);
  if (release === null) return false;
  try {
    const last = (await readFile(file, 'utf8').catch(() => '')).trim();
    const every = renewalEvery(current.record.ttlMs);
    if (Number.isFinite(Date.parse(last)) && now.getTime() - Date.parse(last) < every) return false;
    await writeFile(file, `${now.toISOString()}\n`);
    try {
      const result = await swap(store, next, current.oid);
      if (!result.swapped) {
        const wt = (await worktrees(repo)).find((w) => w.path === repo.toplevel);
        if (wt) await syncLockMirror(repo, wt);
      }
      return result.swapped;
    } catch (error) {
      warn(
        `could not renew your claim on ${name} through remote ${repo.config.remote}: ${(error as Error).message}; the next try is in ${formatDuration(every)}, and the claim goes stale at ${new Date(Date.parse(current.record.heartbeat) + current.record.ttlMs).toISOString()} if none lands`,
      );
      return false;
    }
  } finally {
    await release();
  }
}
