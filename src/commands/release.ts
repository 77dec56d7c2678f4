import { releaseWorktree } from '../claims/release.js';
import { actingAgent } from '../config/identity.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface ReleaseInput {
  worktree: string;
  force: boolean;
}

export async function run(input: ReleaseInput, ctx: CommandContext): Promise<CommandResult> {
  const agent = actingAgent(ctx.identity, 'release');
  const repo = await ctx.repo();
  const name = input.worktree;
  const result = await releaseWorktree(repo, { name, agent, force: input.force, now: ctx.now });
  return {
    exitCode: 0,
    data: result,
    render(out) {
      if (!result.released) out.line(`${name} was not claimed; nothing to release`);
      else if (result.previous && result.previous.agent !== agent) {
        out.line(
          `${out.color.yellow('released')} ${name} (was claimed by ${result.previous.agent})`,
        );
      } else out.line(`${out.color.green('released')} ${name}`);
      for (const warning of result.warnings) out.warn(warning);
    },
  };
}
