import type { Repo } from '../repo.js';
import { systemClock, type Clock } from '../util/clock.js';
import { formatTime } from '../ui/format.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';
import { decideRemoval } from './decision.js';
import { claimedError, logQuietly, unidentifiedError } from './messages.js';
import { syncLockMirror } from './mirror.js';
import type { Claim, ClaimRecord } from './record.js';
import { cloneId } from './ref-store.js';
import { untilSwapped } from './retry.js';
import { claimOn, configTtl, putBack, readStored, storeOf, swap } from './store.js';

/**
 * The claim `worktree remove` holds while it removes. `giveBack` after a refusal or a failure
 * puts back exactly the claim that was there; `finish` after the removal deletes it (the
 * worktree is gone, so a claim left there would be orphaned anyway).
 */
export interface RemovalHold {
  /** The agent's own claim that the removal replaced, if any. */
  own: Claim | null;
  giveBack(): Promise<void>;
  /** `note`, when given, is logged even when no claim of the agent's was released. */
  finish(warnings: string[], note?: string): Promise<void>;
}

/**
 * Takes the claim of `wt` for a removal by compare-and-swap: from nobody, from an orphaned claim
 * or from the agent's own claim; another agent's claim is a ClaimedError. A claimed worktree
 * needs an explicit agent id: `agentFor` throws when there is none.
 */
export async function holdForRemoval(
  repo: Repo,
  wt: WorktreeInfo,
  agentFor: (claimed: boolean) => string,
  clock: Clock = systemClock,
): Promise<RemovalHold> {
  if (wt.identity === null) throw unidentifiedError(wt);
  const identity = wt.identity;
  const store = await storeOf(repo, true);
  return untilSwapped<RemovalHold>(repo, wt.name, async () => {
    const now = clock();
    const stamp = now.toISOString();
    const current = await readStored(repo, wt.name, store);
    const view = current ? claimOn(repo, current, wt, now) : null;
    const agent = agentFor(view !== null && !view.orphaned);
    const decision = decideRemoval(view, agent);
    if (decision.kind === 'refuse') {
      const { claim } = decision;
      const next = claim.stale
        ? `ask them, or take it over first: tmc-orch claim ${wt.name} --steal-stale`
        : `ask them, or wait until it goes stale at ${formatTime(claim.expires, now)}`;
      throw claimedError(claim, now, `worktree remove refused: ${next}`);
    }
    const record: ClaimRecord = {
      v: 2,
      worktree: wt.name,
      agent,
      task: decision.own && current ? current.record.task : null,
      since: decision.own && current ? current.record.since : stamp,
      heartbeat: stamp,
      ttlMs: configTtl(repo),
      worktreeId: identity,
      path: wt.path,
      removing: true,
      clone: cloneId(repo),
    };
    const result = await swap(store, record, current?.oid ?? null);
    if (!result.swapped) return { lost: result.reason };
    const own = decision.own ? view : null;
    return {
      done: {
        own,
        giveBack: async () => {
          await putBack(store, wt.name, result.oid, current?.oid ?? null);
          await syncLockMirror(repo, wt);
        },
        finish: async (warnings, note) => {
          await store.remove(wt.name, result.oid);
          const released = own ? 'released (worktree removed)' : null;
          const message = [released, note].filter(Boolean).join('; ');
          if (message) await logQuietly(repo, agent, wt.name, message, warnings, clock());
        },
      },
    };
  });
}
