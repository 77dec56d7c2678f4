import { MAIN_WORKTREE, type Plan } from './schema.js';

/**
 * The worktrees a plan names, and which of them others wait for: functions of the plan alone,
 * for the plan's live view, the gates and the claim check.
 */

/** The name the plan gives a worktree: "main" for the main worktree, else its folder name. */
export function planName(wt: { main: boolean; name: string }): string {
  return wt.main ? MAIN_WORKTREE : wt.name;
}

/** Every worktree the plan names (its agents' and its streams'), once each. */
export function plannedWorktrees(plan: Plan): string[] {
  return [
    ...new Set([
      ...plan.agents.map((a) => a.worktree),
      ...plan.streams.flatMap((s) => s.worktrees),
    ]),
  ];
}

/**
 * The worktrees whose merged state can block anyone: those of the streams some other stream
 * depends on. Checking only these keeps `claim` and `status` from asking git about the rest.
 */
export function awaitedWorktrees(plan: Plan): Set<string> {
  const awaited = new Set(plan.streams.flatMap((s) => s.dependsOn));
  return new Set(
    plan.streams
      .filter((s) => awaited.has(s.id))
      .flatMap((s) => [
        ...plan.agents.filter((a) => s.agents.includes(a.id)).map((a) => a.worktree),
        ...s.worktrees,
      ]),
  );
}

/** The worktrees of every stream `worktree`'s streams wait for, directly or through others. */
export function awaitedBy(plan: Plan, worktree: string): Set<string> {
  const agents = plan.agents.filter((a) => a.worktree === worktree).map((a) => a.id);
  const byId = new Map(plan.streams.map((s) => [s.id, s] as const));
  const queue = plan.streams
    .filter((s) => s.worktrees.includes(worktree) || s.agents.some((a) => agents.includes(a)))
    .flatMap((s) => s.dependsOn);
  const reached = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return new Set(
    plan.streams
      .filter((s) => reached.has(s.id))
      .flatMap((s) => [
        ...plan.agents.filter((a) => s.agents.includes(a.id)).map((a) => a.worktree),
        ...s.worktrees,
      ]),
  );
}
