import { addWorktreeFor, type AddOptions } from '../worktrees/worktrees.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export type WorktreeAddInput = Omit<AddOptions, 'now'>;

export async function run(input: WorktreeAddInput, ctx: CommandContext): Promise<CommandResult> {
  const result = await addWorktreeFor(await ctx.repo(), { ...input, now: ctx.now });
  return {
    exitCode: 0,
    data: result,
    render(out) {
      const how = result.created
        ? `new branch ${result.branch} from ${result.from}`
        : `existing branch ${result.branch}`;
      out.line(`${out.color.green('created')} worktree ${result.name} at ${result.path} (${how})`);
      for (const warning of result.warnings) out.warn(warning);
      out.info(`next: cd ${result.path} && tmc-orch claim ${result.name}`);
    },
  };
}
