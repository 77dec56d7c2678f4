import { releaseWorktree } from '../worktrees/claims.js';
import { actingAgent } from '../config/identity.js';
import type { CommandContext } from './context.js';

export async function run(
  name: string,
  flags: { force?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const agent = actingAgent(ctx.identity, 'release');
  const repo = await ctx.repo();
  const result = await releaseWorktree(repo, {
    name,
    agent,
    force: Boolean(flags.force),
  });
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const { out } = ctx;
  if (!result.released) out.line(`${name} was not claimed; nothing to release`);
  else if (result.previous && result.previous.agent !== agent) {
    out.line(`${out.color.yellow('released')} ${name} (was claimed by ${result.previous.agent})`);
  } else out.line(`${out.color.green('released')} ${name}`);
  for (const warning of result.warnings) out.warn(warning);
  return 0;
}
