import path from 'node:path';
import { RefusedError } from '../errors.js';
import type { Repo } from '../repo.js';
import type { Seen } from './decision.js';
import { claimRef } from './ref-store.js';

/**
 * The retry loop around every claim change: a compare-and-swap that lost to another process is
 * tried again on a fresh look, after a short random pause, until it wins or gives up naming the
 * ref lock a killed git left behind.
 */

const MAX_ATTEMPTS = 30;
const STUCK_LOCK_ATTEMPTS = 6;

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
export async function untilSwapped<T>(
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
export function tracker(): (oid: string | null) => Seen {
  let first: string | null | undefined;
  return (oid) => {
    if (first === undefined) first = oid;
    if (oid === first) return 'same';
    return first === null ? 'was-free' : 'changed';
  };
}
