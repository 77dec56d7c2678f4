import { claimWorktree } from '../claims/claim.js';
import { formatTime } from '../ui/format.js';
import { actingAgent } from '../config/identity.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface ClaimInput {
  worktree: string;
  /** null: --task given blank; undefined: not given (a renewal keeps the task). */
  task?: string | null;
  ttlMs?: number;
  stealStale: boolean;
  force: boolean;
}

export async function run(input: ClaimInput, ctx: CommandContext): Promise<CommandResult> {
  const agent = actingAgent(ctx.identity, 'claim');
  const repo = await ctx.repo();
  // The plan's say (issue 12), loaded only with a plan: claiming stays as cheap without one.
  const { plan: planConfig } = repo.config;
  const planned = planConfig ? await import('../plan/claim-check.js') : null;
  const plan =
    planned && planConfig
      ? await planned.checkClaimAgainstPlan(repo, planConfig, {
          worktree: input.worktree,
          agent,
          force: input.force,
          now: ctx.now(),
        })
      : null;
  const claimed = await claimWorktree(repo, {
    name: input.worktree,
    agent,
    ...(input.task !== undefined ? { task: input.task } : {}),
    ...(input.ttlMs !== undefined ? { ttlMs: input.ttlMs } : {}),
    stealStale: input.stealStale,
    force: input.force,
    now: ctx.now,
  });
  const warnings = [...claimed.warnings];
  if (planned && plan?.status === 'blocked') {
    warnings.unshift(`claimed against the plan: ${planned.describeBlocked(plan)}`);
    const failed = await planned.logOverride(repo, agent, plan);
    if (failed) warnings.push(failed);
  }
  const result = { ...claimed, plan, warnings };
  return {
    exitCode: 0,
    data: result,
    render(out) {
      const now = ctx.now();
      const { claim, previous } = result;
      const task = claim.task ? ` (task: ${claim.task})` : '';
      const until = `until ${formatTime(claim.expires, now)} unless renewed`;
      if (result.action === 'claimed') {
        out.line(
          `${out.color.green('claimed')} ${claim.worktree} for ${claim.agent}${task}, ${until}`,
        );
      } else if (result.action === 'renewed') {
        out.line(
          `${out.color.green('renewed')} ${claim.worktree} for ${claim.agent}${task}, ${until}`,
        );
      } else {
        const how = result.action === 'forced' ? 'took over (forced)' : 'took over (stale)';
        out.line(
          `${out.color.yellow(how)} ${claim.worktree} from ${previous?.agent ?? 'unknown'} for ${claim.agent}${task}`,
        );
      }
      for (const warning of result.warnings) out.warn(warning);
    },
  };
}
