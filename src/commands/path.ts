import { findWorktree } from '../worktrees/lookup.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface PathInput {
  name: string;
}

/** The absolute path of a worktree, alone on stdout: for `cd "$(tmc-orch path x)"` and scripts. */
export async function run(input: PathInput, ctx: CommandContext): Promise<CommandResult> {
  const wt = await findWorktree(await ctx.repo(), input.name);
  return {
    exitCode: 0,
    data: { name: wt.name, path: wt.path, branch: wt.branch },
    render(out) {
      out.line(wt.path);
    },
  };
}
