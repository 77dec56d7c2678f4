import { pruneWorktreesFor } from '../worktrees/worktrees.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const result = await pruneWorktreesFor(await ctx.repo());
  return {
    exitCode: 0,
    data: result,
    render(out) {
      if (result.pruned.length === 0) out.line('nothing to prune');
      for (const p of result.pruned) out.line(`pruned ${p.name} (${p.path}): ${p.reason}`);
    },
  };
}
