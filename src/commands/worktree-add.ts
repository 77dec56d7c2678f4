import { createWorktree, failedStep } from '../worktrees/setup.js';
import type { AddOptions } from '../worktrees/add.js';
import { countedList, showCommand } from '../ui/format.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface WorktreeAddInput extends Omit<AddOptions, 'now'> {
  /** false for --no-copy. */
  copy: boolean;
}

export async function run(input: WorktreeAddInput, ctx: CommandContext): Promise<CommandResult> {
  const { copy, ...options } = input;
  const result = await createWorktree(
    await ctx.repo(),
    { ...options, now: ctx.now },
    {
      copy,
      env: ctx.env,
      // On stderr under --json too (error() writes in both modes): an agent must see why a
      // postCreate command failed, not only that it did.
      onLine: (line) => ctx.out.error(line),
    },
  );
  const failed = failedStep(result);
  return {
    exitCode: failed ? 1 : 0,
    data: result,
    render(out) {
      const how = result.created
        ? `new branch ${result.branch} from ${result.from}`
        : `existing branch ${result.branch}`;
      out.line(`${out.color.green('created')} worktree ${result.name} at ${result.path} (${how})`);
      if (result.copy && result.copy.copied.length > 0) {
        out.line(
          `${out.color.green('copied')} ${result.copy.copied.length} ignored file(s) from the main worktree: ${countedList(result.copy.copied, 5)}`,
        );
      }
      for (const skip of result.copy?.skipped ?? [])
        out.info(`not copied: ${skip.path} (${skip.reason})`);
      for (const warning of result.warnings) out.warn(warning);
      if (failed) {
        out.error(
          `postCreate command failed (${failed.reason}): ${showCommand(failed.command)}; the worktree stays at ${result.path}: fix it there, then rerun the command in it`,
        );
        return;
      }
      out.info(`next: cd ${result.path} && tmc-orch claim ${result.name}`);
    },
  };
}
