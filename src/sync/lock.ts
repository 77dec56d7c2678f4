import path from 'node:path';
import { operationInProgress, type OperationKind } from '../git/index.js';
import { holderIsDead, tryLock, type Release } from '../util/lock.js';

/**
 * One tmc-orch sync per worktree at a time: a second one could otherwise take the first one's
 * rebase in progress for its own and undo it. The lock lives in that worktree's git dir.
 */

export const SYNC_LOCK = 'tmc-orch-sync.lock';

export type SyncLock =
  | { status: 'held'; release: Release }
  | { status: 'busy'; reason: string; operation: OperationKind | null };

export async function holdForSync(gitDir: string): Promise<SyncLock> {
  const lockPath = path.join(gitDir, SYNC_LOCK);
  const release = await tryLock(lockPath);
  if (release) return { status: 'held', release };
  if (await holderIsDead(lockPath)) {
    const operation = await operationInProgress(gitDir);
    return {
      status: 'busy',
      operation,
      reason: `the tmc-orch sync that held this worktree was killed${operation ? ` and left a ${operation} in progress` : ''}; its lock expires within 10 s, then sync again: it finishes or undoes what the killed sync left`,
    };
  }
  return {
    status: 'busy',
    operation: null,
    reason: 'another tmc-orch sync is working on it; wait for it and sync again',
  };
}
