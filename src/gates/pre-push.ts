import type { Plan } from '../plan/schema.js';
import { planName } from '../plan/worktrees.js';
import type { Repo } from '../repo.js';
import { realpathLoose } from '../worktrees/paths.js';
import { worktrees } from '../worktrees/worktrees.js';
import {
  defaultGateConcurrency,
  runGates,
  type GateEvent,
  type GateTarget,
  type WorktreeGates,
} from './gates.js';

/**
 * The gates marked `prePush` run by the pre-push hook, after the size check has passed. Gates
 * judge a checkout, so they run in the worktree that has the pushed commit checked out (the one
 * pushing, as a rule); a pushed commit no worktree has checked out cannot be judged and is named.
 */

export interface PrePushGates {
  gates: string[];
  worktrees: WorktreeGates[];
  /** Pushed branches whose commit no worktree has checked out. */
  notRun: { remoteRef: string; commit: string }[];
  passed: boolean;
}

export async function runPrePushGates(
  repo: Repo,
  plan: Plan,
  pushed: readonly { localSha: string; remoteRef: string }[],
  onEvent?: (event: GateEvent) => void,
): Promise<PrePushGates | null> {
  const gates = plan.gates.filter((g) => g.prePush);
  if (gates.length === 0 || pushed.length === 0) return null;
  const [list, here] = await Promise.all([worktrees(repo), realpathLoose(repo.toplevel)]);
  const targets = new Map<string, GateTarget>();
  const notRun: PrePushGates['notRun'] = [];
  for (const ref of pushed) {
    const candidates = list.filter((w) => w.head === ref.localSha && w.prunable === null);
    // The pushing worktree first: it is where the commit was made.
    const wt = candidates.find((w) => w.path === here || w.path === repo.toplevel) ?? candidates[0];
    if (!wt) notRun.push({ remoteRef: ref.remoteRef, commit: ref.localSha });
    else targets.set(wt.path, { name: planName(wt), path: wt.path, head: wt.head });
  }
  const ran = await runGates([...targets.values()], gates, {
    sharedDir: repo.sharedDir,
    concurrency: defaultGateConcurrency(),
    ...(onEvent ? { onEvent } : {}),
  });
  return {
    gates: gates.map((g) => g.name),
    worktrees: ran,
    notRun,
    passed: ran.every((w) => w.passed),
  };
}
