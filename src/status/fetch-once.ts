import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import { fetchBranch } from '../git/index.js';
import { tryLock, waitLock } from '../util/lock.js';

/**
 * Fetches `<remote> <branch>` once for any number of tmc-orch processes that ask at the same
 * moment. Two `git fetch` runs updating the same remote-tracking ref fail with "cannot lock ref",
 * so a lock in the common git dir serialises them, and a stamp
 * written after each successful fetch lets the processes that waited skip theirs. "The same
 * moment" is a window (FRESH_MS): processes started together on a loaded machine reach the lock
 * seconds apart, and a fetch that finished just before one started still serves it.
 */

/** A fetch that finished less than this before a process started serves that process too. */
export const FRESH_MS = 10_000;

export const FETCH_LOCK = 'tmc-orch-fetch.lock';
export const FETCH_STAMP = 'tmc-orch-fetch.stamp';

export interface FetchOnceOptions {
  /** How long to wait for another process's fetch (default 5 minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /** See FRESH_MS; 0 makes every process fetch unless a fetch finished after it started. */
  freshMs?: number;
  /** Called once when another process holds the lock and we start waiting. */
  onWait?: () => void;
}

export interface FetchOnceResult {
  /** true when this process ran git fetch; false when a concurrent fetch served it. */
  fetched: boolean;
}

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
  let release = await tryLock(lockFile);
  if (!release) {
    options.onWait?.();
    release = await waitLock(lockFile, {
      timeoutMs: options.timeoutMs ?? 5 * 60 * 1000,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
  }
  if (!release) {
    throw new RefusedError(
      `another tmc-orch has been fetching for too long (lock ${lockFile}); wait for it, or delete the lock if no tmc-orch is running`,
    );
  }
  try {
    if ((await readStamp(stampFile)) >= started - (options.freshMs ?? FRESH_MS)) {
      return { fetched: false };
    }
    await fetchBranch(cwd, remote, branch);
    await writeFileAtomic(stampFile, `${Date.now()}\n`);
    return { fetched: true };
  } finally {
    await release();
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
