import { UsageError } from '../errors.js';
import { planName } from '../plan/worktrees.js';
import { MAIN_WORKTREE } from '../plan/schema.js';
import type { Repo } from '../repo.js';
import { pickWorktree } from '../worktrees/lookup.js';
import { currentWorktree, worktrees, type WorktreeInfo } from '../worktrees/worktrees.js';
import type { GateTarget } from './gates.js';

/**
 * The worktrees `tmc-orch gate` runs in: those named (the plan's "main" is the main worktree,
 * unless a worktree is called so), every worktree whose folder is there (--all), or the one the
 * command runs in.
 */
export async function gateTargets(
  repo: Repo,
  names: readonly string[],
  all: boolean,
): Promise<GateTarget[]> {
  if (all && names.length > 0) {
    throw new UsageError('pass worktree names or --all, not both');
  }
  const toTarget = (wt: WorktreeInfo): GateTarget => ({
    name: planName(wt),
    path: wt.path,
    head: wt.head,
  });
  if (names.length === 0 && !all) return [toTarget(await currentWorktree(repo))];
  const list = await worktrees(repo);
  if (all) return list.filter((wt) => wt.prunable === null).map(toTarget);
  const picked = names.map((name) => {
    const main = list.find((wt) => wt.main);
    if (name === MAIN_WORKTREE && main && !list.some((wt) => wt.name === name)) return main;
    return pickWorktree(list, name);
  });
  const missing = picked.find((wt) => wt.prunable !== null);
  if (missing) {
    throw new UsageError(
      `worktree ${missing.name}'s folder ${missing.path} is missing; run tmc-orch worktree prune`,
    );
  }
  return [...new Map(picked.map((wt) => [wt.path, toTarget(wt)])).values()];
}
