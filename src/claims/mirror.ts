import { lockWorktree, unlockWorktree } from '../git/index.js';
import type { Repo } from '../repo.js';
import { worktrees, type WorktreeInfo } from '../worktrees/lookup.js';
import { claimTarget, type Claim } from './record.js';
import { readLocal } from './store.js';

/**
 * `git worktree lock --reason "claimed by <agent>: <task>"` mirrors the claim so plain git and
 * other worktree tools leave the folder alone. The ref decides; the lock follows it, best effort.
 */

const CLAIM_REASON_PREFIX = 'claimed by ';

export function lockReason(claim: Pick<Claim, 'agent' | 'task'>): string {
  return `${CLAIM_REASON_PREFIX}${claim.agent}${claim.task ? `: ${claim.task}` : ''}`;
}

/** Whether a git worktree lock reason is a claim's mirror (made by tmc-orch). */
export function isMirrorLock(reason: string | null): boolean {
  return reason !== null && reason.startsWith(CLAIM_REASON_PREFIX);
}

/**
 * What the git lock says after syncing: "locked"/"unlocked" as the claim wants, "foreign" when
 * the worktree was locked by hand for another reason (left alone), "none" for the main worktree
 * (git cannot lock it) or a worktree git no longer knows, "failed" when git kept refusing.
 */
export type MirrorState = 'locked' | 'unlocked' | 'foreign' | 'none' | 'failed';

/**
 * Makes the git worktree lock of `wt` follow the claim ref: locked while a claim holds it,
 * unlocked when none does (an orphaned claim or a removal in progress holds no lock). Re-reads
 * both until they agree, so racing claimers converge on the lock of whoever holds the ref.
 */
export async function syncLockMirror(repo: Repo, wt: WorktreeInfo): Promise<MirrorState> {
  if (wt.main) return 'none';
  for (let attempt = 0; attempt < 4; attempt++) {
    const [stored, all] = await Promise.all([readLocal(repo, wt.name), worktrees(repo)]);
    const now = all.find((w) => w.path === wt.path && w.identity === wt.identity);
    if (!now) return 'none';
    const holds = stored !== null && claimTarget(stored.record, [now]) !== null;
    const wanted = holds && !stored.record.removing ? lockReason(stored.record) : null;
    if (now.locked === wanted) return wanted === null ? 'unlocked' : 'locked';
    if (now.locked !== null && !isMirrorLock(now.locked)) return 'foreign';
    try {
      if (now.locked !== null) await unlockWorktree(repo.commonDir, now.path);
      if (wanted !== null) await lockWorktree(repo.commonDir, now.path, wanted);
    } catch {
      // Another process changed the lock between our read and write: read again.
    }
  }
  return 'failed';
}
