import {
  ambiguousWorktreeError,
  lookupName,
  missingWorktreeError,
  worktrees,
} from '../worktrees/lookup.js';
import type { Repo } from '../repo.js';
import { systemClock, type Clock } from '../util/clock.js';
import { assertWorktreeName } from '../worktrees/names.js';
import { decideRelease } from './decision.js';
import { claimedError, logQuietly } from './messages.js';
import { syncLockMirror, type MirrorState } from './mirror.js';
import { toClaim, type Claim } from './record.js';
import { tracker, untilSwapped } from './retry.js';
import { claimOn, readStored, skewOf, storeOf } from './store.js';

export interface ReleaseOptions {
  name: string;
  agent: string;
  /** Release another agent's claim (only the exact claim seen). */
  force?: boolean;
  now?: Clock;
}

export interface ReleaseResult {
  worktree: string;
  /** False when there was no claim to release. */
  released: boolean;
  /** The claim that was released. */
  previous: Claim | null;
  mirror: MirrorState;
  warnings: string[];
}

/**
 * Releases the agent's own claim, anyone's orphaned claim, or with force another agent's
 * (compare-and-swap delete of the exact claim seen). A name with no worktree is still looked up
 * in the claims: the orphaned claim of a removed worktree can be released.
 */
export async function releaseWorktree(repo: Repo, options: ReleaseOptions): Promise<ReleaseResult> {
  assertWorktreeName(options.name);
  const found = lookupName(await worktrees(repo), options.name);
  if (found.status === 'ambiguous') throw ambiguousWorktreeError(options.name, found.paths);
  const wt = found.status === 'found' ? found.worktree : null;
  const store = await storeOf(repo, true);
  const clock = options.now ?? systemClock;
  const seenOf = tracker();
  return untilSwapped<ReleaseResult>(repo, options.name, async () => {
    const now = clock();
    const current = await readStored(repo, options.name, store);
    const seen = seenOf(current?.oid ?? null);
    if (!current) {
      if (found.status === 'missing') throw missingWorktreeError(options.name, found.known);
      const mirror = wt ? await syncLockMirror(repo, wt) : 'none';
      return {
        done: { worktree: options.name, released: false, previous: null, mirror, warnings: [] },
      };
    }
    const claim = wt
      ? claimOn(repo, current, wt, now)
      : toClaim(current.record, null, now, current.foreign, skewOf(repo, current));
    const decision = decideRelease(
      claim,
      { agent: options.agent, force: Boolean(options.force) },
      seen,
    );
    if (decision.kind === 'refuse') {
      throw claimedError(
        decision.claim,
        now,
        decision.why === 'changed'
          ? 'it changed while you were releasing it, so nothing was done; run tmc-orch claims and decide again'
          : `only its owner can release it; ask them, or run: tmc-orch release ${options.name} --force`,
      );
    }
    const result = await store.remove(options.name, current.oid);
    if (!result.swapped) return { lost: result.reason };
    const warnings: string[] = [];
    const mirror = wt ? await syncLockMirror(repo, wt) : 'none';
    if (mirror === 'failed') warnings.push('could not remove the git worktree lock mirror');
    const message =
      decision.how === 'own'
        ? 'released'
        : decision.how === 'orphaned'
          ? `dropped the orphaned claim of ${claim.agent} (since ${claim.since}; its worktree is gone)`
          : `force-released the claim of ${claim.agent} (since ${claim.since}, last heartbeat ${claim.heartbeat})`;
    await logQuietly(repo, options.agent, options.name, message, warnings, now);
    return { done: { worktree: options.name, released: true, previous: claim, mirror, warnings } };
  });
}
