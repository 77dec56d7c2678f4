import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import lockfile from 'proper-lockfile';

/**
 * Inter-process locks, through proper-lockfile: the lock is a directory made with mkdir (atomic),
 * its mtime refreshed while held, so a lock left by a killed process goes stale and is taken over
 * after `staleMs`, while a live holder's lock is never taken.
 */

export type Release = () => Promise<void>;

export interface LockOptions {
  /** A lock not refreshed for this long is stale and taken over (proper-lockfile's minimum: 2 s). */
  staleMs?: number;
}

const DEFAULT_STALE_MS = 10_000;

function settings(options: LockOptions) {
  const stale = Math.max(2000, options.staleMs ?? DEFAULT_STALE_MS);
  return {
    stale,
    update: Math.floor(stale / 2),
    realpath: false,
    // The default throws from a timer, which would kill a process in the middle of a rebase.
    // Losing the lock (say, a suspended laptop) only lets a second tmc-orch in; git's own locks
    // still keep the repository consistent.
    onCompromised: () => undefined,
  };
}

function isLocked(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED';
}

/**
 * Beside the lock, who holds it: only to tell a user whether the holder still runs. (It cannot
 * live inside the lock directory: proper-lockfile removes that with rmdir.)
 */
const ownerFile = (path: string) => `${path}.owner`;

async function owned(path: string, release: Release): Promise<Release> {
  await writeFile(ownerFile(path), `${process.pid} ${os.hostname()}\n`).catch(() => undefined);
  return async () => {
    await rm(ownerFile(path), { force: true });
    await release();
  };
}

/** Takes the lock `<path>` now, or returns null when another live process holds it. */
export async function tryLock(path: string, options: LockOptions = {}): Promise<Release | null> {
  try {
    return await owned(
      path,
      await lockfile.lock(path, { ...settings(options), lockfilePath: path, retries: 0 }),
    );
  } catch (error) {
    if (isLocked(error)) return null;
    throw error;
  }
}

/**
 * Whether the process holding the lock is known to be dead (killed on this host): its lock then
 * only waits to go stale. False when it runs, or when that cannot be told.
 */
export async function holderIsDead(path: string): Promise<boolean> {
  const text = await readFile(ownerFile(path), 'utf8').catch(() => '');
  const [pid, host] = text.trim().split(' ');
  if (!pid || host !== os.hostname()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Waits up to `timeoutMs` for the lock; null when it is still held then. */
export async function waitLock(
  path: string,
  options: LockOptions & { timeoutMs: number; pollMs?: number },
): Promise<Release | null> {
  const poll = Math.max(10, options.pollMs ?? 50);
  try {
    return await lockfile.lock(path, {
      ...settings(options),
      lockfilePath: path,
      retries: {
        retries: Math.ceil(options.timeoutMs / poll),
        factor: 1,
        minTimeout: poll,
        maxTimeout: poll,
      },
    });
  } catch (error) {
    if (isLocked(error)) return null;
    throw error;
  }
}
