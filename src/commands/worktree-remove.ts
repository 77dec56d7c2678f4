import { isInside } from '../util/path.js';
import { removeWorktreeFor } from '../worktrees/remove.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface WorktreeRemoveInput {
  name: string;
  force: boolean;
  deleteBranch: boolean;
}

export async function run(input: WorktreeRemoveInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const result = await removeWorktreeFor(repo, { ...input, agent: ctx.identity, now: ctx.now });
  return {
    exitCode: 0,
    data: result,
    render(out) {
      out.line(`${out.color.green('removed')} worktree ${result.name} (${result.path})`);
      if (result.branchDeleted) out.line(`${out.color.green('deleted')} branch ${result.branch}`);
      else if (result.branch) out.info(`branch ${result.branch} kept`);
      for (const warning of result.warnings) out.warn(warning);
      if (ctx.cwd === result.path || isInside(ctx.cwd, result.path)) {
        out.info(`you were inside it: cd ${repo.mainRoot}`);
      }
    },
  };
}
