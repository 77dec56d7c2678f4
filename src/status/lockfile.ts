import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';

/**
 * Lock files created with O_EXCL (atomic on local file systems), holding their owner's pid, host
 * and time so a lock left by a killed process can be recognised and taken over.
 */

export interface LockOwner {
  pid: number;
  host: string;
  /** ms since the epoch. */
  time: number;
}

/** A lock whose holder is gone (same host, dead pid) or older than this is taken over. */
const STALE_AFTER_MS = 30 * 60 * 1000;
/** An unreadable lock (its writer died between creating and writing it) after this. */
const UNREADABLE_STALE_AFTER_MS = 10_000;

/** Takes the lock now or reports who holds it; a dead holder's lock is taken over. */
export async function tryLockOnce(
  lockFile: string,
): Promise<{ release: () => Promise<void> } | { holder: LockOwner | null }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const mine = await tryLock(lockFile);
    if (mine !== null) return { release: () => unlock(lockFile, mine) };
    const holder = await readOwner(lockFile);
    if (!holder || !isStale(holder)) return { holder };
    await takeOverStale(lockFile, holder);
  }
  return { holder: await readOwner(lockFile) };
}

export async function tryLock(lockFile: string): Promise<string | null> {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), time: Date.now() };
  const content = `${JSON.stringify({ ...owner, nonce: randomBytes(8).toString('hex') })}\n`;
  try {
    const handle = await open(lockFile, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
    } finally {
      await handle.close();
    }
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  }
}

export async function unlock(lockFile: string, content: string): Promise<void> {
  try {
    if ((await readFile(lockFile, 'utf8')) === content) await unlink(lockFile);
  } catch {
    // Already gone (taken over as stale): nothing to release.
  }
}

export async function readOwner(lockFile: string): Promise<(LockOwner & { raw: string }) | null> {
  let raw: string;
  try {
    raw = await readFile(lockFile, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(raw) as Partial<LockOwner>;
    return {
      pid: Number(parsed.pid),
      host: String(parsed.host),
      time: Number(parsed.time),
      raw,
    };
  } catch {
    // Being written right now (open and write are two steps), or left empty by a process killed
    // between them: judged by the file's age.
    const mtime = await stat(lockFile).then(
      (st) => st.mtimeMs,
      () => Date.now(),
    );
    return { pid: 0, host: '', time: mtime, raw };
  }
}

export function isStale(owner: LockOwner): boolean {
  const age = Date.now() - owner.time;
  if (age > STALE_AFTER_MS) return true;
  if (owner.pid <= 0) return age > UNREADABLE_STALE_AFTER_MS;
  if (owner.host !== os.hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes a dead holder's lock without ever removing a live one: move it aside, check it is the
 * lock we judged stale, and put it back if another process replaced it in between.
 */
export async function takeOverStale(lockFile: string, stale: { raw: string }): Promise<void> {
  const aside = `${lockFile}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(lockFile, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== stale.raw) await link(aside, lockFile).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}
