import { claimWorktree, formatClaimTime } from '../worktrees/claims.js';
import { actingAgent } from '../config/identity.js';
import type { CommandContext } from './context.js';

export interface ClaimFlags {
  task?: string;
  ttl?: string;
  stealStale?: boolean;
  force?: boolean;
}

export async function run(name: string, flags: ClaimFlags, ctx: CommandContext): Promise<number> {
  const agent = actingAgent(ctx.identity, 'claim');
  const repo = await ctx.repo();
  const force = Boolean(flags.force);
  // Loaded only with a plan: claiming stays as cheap as it was without one.
  const { plan: planConfig } = repo.config;
  const planned = planConfig ? await import('../plan/claim-check.js') : null;
  const plan =
    planned && planConfig
      ? await planned.checkClaimAgainstPlan(repo, planConfig, { worktree: name, agent, force })
      : null;
  const claimed = await claimWorktree(repo, {
    name,
    agent,
    ...(flags.task !== undefined ? { task: flags.task } : {}),
    ...(flags.ttl !== undefined ? { ttl: flags.ttl } : {}),
    stealStale: Boolean(flags.stealStale),
    force,
  });
  const warnings = [...claimed.warnings];
  if (planned && plan?.status === 'blocked') {
    warnings.unshift(`claimed against the plan: ${planned.describeBlocked(plan)}`);
    const failed = await planned.logOverride(repo, agent, plan);
    if (failed) warnings.push(failed);
  }
  const result = { ...claimed, plan, warnings };
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const { out } = ctx;
  const { claim, previous } = result;
  const task = claim.task ? ` (task: ${claim.task})` : '';
  const until = `until ${formatClaimTime(claim.expires)} unless renewed`;
  if (result.action === 'claimed') {
    out.line(`${out.color.green('claimed')} ${claim.worktree} for ${claim.agent}${task}, ${until}`);
  } else if (result.action === 'renewed') {
    out.line(`${out.color.green('renewed')} ${claim.worktree} for ${claim.agent}${task}, ${until}`);
  } else {
    const how = result.action === 'forced' ? 'took over (forced)' : 'took over (stale)';
    out.line(
      `${out.color.yellow(how)} ${claim.worktree} from ${previous?.agent ?? 'unknown'} for ${claim.agent}${task}`,
    );
  }
  for (const warning of result.warnings) out.warn(warning);
  return 0;
}
