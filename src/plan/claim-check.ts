import { BlockedError } from '../errors.js';
import type { Repo } from '../repo.js';
import { appendLog } from '../log/append.js';
import { listClaims } from '../claims/store.js';
import { liveForClaim } from './live.js';
import type { Plan } from './schema.js';
import { claimBlockers, describeBlocker, type ClaimBlockers } from './view.js';

/**
 * The plan's say on a claim: a worktree whose stream waits for unfinished streams should not be
 * started. Renewing a claim one holds is never refused (agents renew by claiming again), and an
 * override (`claim --force`) is written to the status log, so the team sees who went ahead.
 */

export type PlanClaimCheck =
  | ClaimBlockers
  /** The agent holds the claim already: a renewal, whatever the plan says. */
  | { status: 'renewal'; worktree: string };

/**
 * What the plan says about `agent` claiming `worktree`. A blocked worktree is refused
 * (BlockedError, exit 1) unless `force`; then the caller claims and calls logOverride.
 */
export async function checkClaimAgainstPlan(
  repo: Repo,
  plan: Plan,
  request: { worktree: string; agent: string; force: boolean; now: Date },
): Promise<PlanClaimCheck> {
  const { worktree, agent } = request;
  const claims = await listClaims(repo, request.now);
  if (claims.some((c) => c.worktree === worktree && c.agent === agent && !c.orphaned)) {
    return { status: 'renewal', worktree };
  }
  const check = claimBlockers(plan, await liveForClaim(repo, plan, worktree), worktree);
  if (check.status === 'blocked' && !request.force) {
    throw new BlockedError(
      `worktree "${worktree}" is not to be started yet: ${describeBlocked(check)}; see tmc-orch plan, or claim it anyway (logged): tmc-orch claim ${worktree} --force`,
      { blockers: check.blockers, streams: check.streams },
    );
  }
  return check;
}

/** "stream-2 waits for stream-1 (Critical fixes): 03a-foundation not merged". */
export function describeBlocked(check: Extract<PlanClaimCheck, { status: 'blocked' }>): string {
  const own = check.streams.join(', ');
  return `${own} ${check.streams.length > 1 ? 'wait' : 'waits'} for ${check.blockers.map(describeBlocker).join('; ')}`;
}

/** Writes a claim made against the plan to the status log; a warning when it cannot. */
export async function logOverride(
  repo: Repo,
  agent: string,
  check: Extract<PlanClaimCheck, { status: 'blocked' }>,
): Promise<string | null> {
  try {
    await appendLog(repo, {
      agent,
      worktree: check.worktree,
      message: `claimed against the plan (--force): ${describeBlocked(check)}`,
      source: 'tmc-orch',
    });
    return null;
  } catch (error) {
    return `could not write the override to the status log: ${(error as Error).message}`;
  }
}
