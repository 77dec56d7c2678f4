import type { Repo } from '../repo.js';
import type { WorktreeStatus } from '../status/row.js';
import { liveFromStatus } from './live.js';
import { awaitedWorktrees, planName } from './worktrees.js';
import { PRIORITIES, type Plan, type Priority } from './schema.js';
import { planView, type StreamStatus } from './view.js';

/**
 * The plan's columns of `tmc-orch status`: who the plan gives each worktree to, how urgent its
 * work is, and which unfinished streams it waits for. Null for a worktree the plan does not name.
 */

export interface PlanColumns {
  agents: string[];
  /** The most urgent priority of its agents. */
  priority: Priority;
  streams: string[];
  blockedBy: string[];
}

export interface StatusPlan {
  byPath: Map<string, PlanColumns>;
  streams: StreamStatus[];
}

export async function statusPlan(
  repo: Repo,
  plan: Plan,
  rows: readonly WorktreeStatus[],
  baseCommit: string | null,
): Promise<StatusPlan> {
  const live = await liveFromStatus(repo, plan, rows, baseCommit, awaitedWorktrees(plan));
  const view = planView(plan, live);
  const byPath = new Map<string, PlanColumns>();
  for (const row of rows) {
    const planned = view.rows.filter((r) => r.worktree === planName(row));
    if (planned.length === 0) continue;
    const rank = (p: Priority) => PRIORITIES.indexOf(p);
    byPath.set(row.path, {
      agents: planned.map((r) => r.agent),
      priority: planned.map((r) => r.priority).sort((a, b) => rank(a) - rank(b))[0] as Priority,
      streams: [...new Set(planned.flatMap((r) => r.streams))],
      blockedBy: [...new Set(planned.flatMap((r) => r.blockedBy))],
    });
  }
  return { byPath, streams: view.streams };
}
