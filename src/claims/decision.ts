import type { Claim } from './record.js';

/**
 * The pure decisions of the claims module: what a claim, a release or a removal may do to the
 * claim it finds. The caller applies the answer with one compare-and-swap against the exact
 * claim it decided on, and decides again if that claim changed meanwhile.
 */

export interface ClaimRequest {
  agent: string;
  /** Take over a claim whose heartbeat is older than its TTL. */
  stealStale: boolean;
  /** Take over any claim (but never a removal in progress). */
  force: boolean;
}

/**
 * The claim found, against the one this command saw on its first look: 'same' (or this is the
 * first look), 'changed' (another process won a race meanwhile), 'was-free' (the first look found
 * no claim).
 */
export type Seen = 'same' | 'changed' | 'was-free';

export type ClaimDecision =
  | { kind: 'claim' }
  | { kind: 'renew' }
  | { kind: 'take-over'; how: 'stale' | 'forced' }
  | {
      kind: 'refuse';
      /**
       * held: another agent holds it; removing: another agent is removing the worktree;
       * own-removal: this agent is; changed: it changed while a take-over was being decided.
       */
      why: 'held' | 'removing' | 'own-removal' | 'changed';
      claim: Claim;
    };

export function decideClaim(
  current: Claim | null,
  request: ClaimRequest,
  seen: Seen,
): ClaimDecision {
  // A claim on a worktree that is gone or was replaced holds nothing.
  if (current === null || current.orphaned) return { kind: 'claim' };
  if (current.agent === request.agent) {
    return current.removing
      ? { kind: 'refuse', why: 'own-removal', claim: current }
      : { kind: 'renew' };
  }
  // A take-over applies only to the exact claim seen first: never to one that replaced it (another
  // stealer won), nor to one that appeared on a worktree first seen free.
  if (seen === 'changed' && (request.force || request.stealStale)) {
    return { kind: 'refuse', why: 'changed', claim: current };
  }
  const stealable = seen === 'same' && request.stealStale && current.stale;
  if (current.removing) {
    // --force never interrupts a removal; a stale one was killed and may be taken over.
    return stealable
      ? { kind: 'take-over', how: 'stale' }
      : { kind: 'refuse', why: 'removing', claim: current };
  }
  if (seen === 'same' && request.force) return { kind: 'take-over', how: 'forced' };
  if (stealable) return { kind: 'take-over', how: 'stale' };
  return { kind: 'refuse', why: 'held', claim: current };
}

export type ReleaseDecision =
  | { kind: 'release'; how: 'own' | 'orphaned' | 'forced' }
  | { kind: 'refuse'; why: 'not-owner' | 'changed'; claim: Claim };

/** Owners release their own claim; anyone an orphaned one; with force, the exact claim seen. */
export function decideRelease(
  current: Claim,
  request: { agent: string; force: boolean },
  seen: Seen,
): ReleaseDecision {
  if (current.agent === request.agent) return { kind: 'release', how: 'own' };
  if (current.orphaned) return { kind: 'release', how: 'orphaned' };
  if (!request.force) return { kind: 'refuse', why: 'not-owner', claim: current };
  if (seen !== 'same') return { kind: 'refuse', why: 'changed', claim: current };
  return { kind: 'release', how: 'forced' };
}

export type RemovalDecision =
  | {
      kind: 'take';
      /** The agent's own claim is replaced (and released after the removal). */ own: boolean;
    }
  | { kind: 'refuse'; why: 'held'; claim: Claim };

/**
 * `worktree remove` holds the claim itself while it removes: a free worktree, an orphaned claim
 * or the agent's own claim (a removal of its own that was killed included) may be taken; any
 * other agent's claim, stale or not, is theirs until taken over with claim --steal-stale.
 */
export function decideRemoval(current: Claim | null, agent: string): RemovalDecision {
  if (current === null || current.orphaned) return { kind: 'take', own: false };
  if (current.agent === agent) return { kind: 'take', own: !current.removing };
  return { kind: 'refuse', why: 'held', claim: current };
}
