import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { fetchBranch } from '../git/index.js';
import { isStale, readOwner, takeOverStale, tryLock, unlock, type LockOwner } from './lockfile.js';

/**
 * Fetches `<remote> <branch>` once for any number of tmc-orch processes that ask at the same
 * moment. Two `git fetch` runs updating the same remote-tracking ref fail with "cannot lock ref",
 * so a lock file in the common git dir (created with O_EXCL: atomic) serialises them, and a stamp
 * written after each successful fetch lets the processes that waited skip theirs. "The same
 * moment" is a window (FRESH_MS): processes started together on a loaded machine reach the lock
 * seconds apart, and a fetch that finished just before one started still serves it.
 */

/** A fetch that finished less than this before a process started serves that process too. */
export const FRESH_MS = 10_000;

export const FETCH_LOCK = 'tmc-orch-fetch.lock';
export const FETCH_STAMP = 'tmc-orch-fetch.stamp';

export type { LockOwner } from './lockfile.js';

export interface FetchOnceOptions {
  /** How long to wait for another process's fetch (default 5 minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /** See FRESH_MS; 0 makes every process fetch unless a fetch finished after it started. */
  freshMs?: number;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (holder: LockOwner) => void;
}

export interface FetchOnceResult {
  /** true when this process ran git fetch; false when a concurrent fetch served it. */
  fetched: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function fetchOnce(
  commonDir: string,
  cwd: string,
  remote: string,
  branch: string,
  options: FetchOnceOptions = {},
): Promise<FetchOnceResult> {
  const started = Date.now();
  const lockFile = path.join(commonDir, FETCH_LOCK);
  const stampFile = path.join(commonDir, FETCH_STAMP);
  const deadline = started + (options.timeoutMs ?? 5 * 60 * 1000);
  let warned = false;
  for (;;) {
    const mine = await tryLock(lockFile);
    if (mine !== null) {
      try {
        if ((await readStamp(stampFile)) >= started - (options.freshMs ?? FRESH_MS)) {
          return { fetched: false };
        }
        await fetchBranch(cwd, remote, branch);
        await writeFileAtomic(stampFile, `${Date.now()}\n`);
        return { fetched: true };
      } finally {
        await unlock(lockFile, mine);
      }
    }
    const holder = await readOwner(lockFile);
    if (holder && isStale(holder)) {
      await takeOverStale(lockFile, holder);
      continue;
    }
    if (holder && !warned) {
      warned = true;
      options.onWait?.(holder);
    }
    if (Date.now() > deadline) {
      throw new RefusedError(
        `another tmc-orch has been fetching for too long (lock ${lockFile}, pid ${holder?.pid ?? '?'} on ${holder?.host ?? '?'}); wait for it, or delete the lock file if no tmc-orch is running`,
      );
    }
    await sleep(options.pollMs ?? 50);
  }
}

async function readStamp(stampFile: string): Promise<number> {
  try {
    const value = Number((await readFile(stampFile, 'utf8')).trim());
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}
