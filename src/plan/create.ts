import { TmcError } from '../errors.js';
import type { Repo } from '../repo.js';
import { addWorktreeFor, type AddResult } from '../worktrees/add.js';
import { worktrees } from '../worktrees/worktrees.js';
import { plannedWorktrees } from './worktrees.js';
import { MAIN_WORKTREE, type Plan } from './schema.js';

/**
 * `worktree add --from-plan`: every worktree the plan names that does not exist yet, created one
 * after another (git takes a lock on the repository for each), in plan order. One that cannot be
 * created (its branch is checked out elsewhere, its folder is taken) is reported and the others
 * are still created.
 */

export type PlannedWorktree =
  | { name: string; status: 'exists'; path: string }
  | { name: string; status: 'created'; result: AddResult }
  | { name: string; status: 'failed'; message: string };

export async function addPlannedWorktrees(
  repo: Repo,
  plan: Plan,
  options: { from?: string } = {},
): Promise<PlannedWorktree[]> {
  const existing = new Map((await worktrees(repo)).map((wt) => [wt.name, wt.path]));
  const results: PlannedWorktree[] = [];
  for (const name of plannedWorktrees(plan)) {
    if (name === MAIN_WORKTREE) continue;
    const path = existing.get(name);
    if (path !== undefined) {
      results.push({ name, status: 'exists', path });
      continue;
    }
    try {
      const result = await addWorktreeFor(repo, {
        name,
        ...(options.from !== undefined ? { from: options.from } : {}),
      });
      results.push({ name, status: 'created', result });
    } catch (error) {
      if (!(error instanceof TmcError) || error.exitCode === 70) throw error;
      results.push({ name, status: 'failed', message: error.message });
    }
  }
  return results;
}
