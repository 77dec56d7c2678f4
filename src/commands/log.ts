import { appendLog } from '../log/append.js';
import { assertWorktreeName } from '../worktrees/names.js';
import { currentWorktree, findWorktree } from '../worktrees/worktrees.js';
import { actingAgent } from '../config/identity.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface LogInput {
  message: string;
  /** The worktree the entry is about; default: the current one. */
  worktree?: string;
}

export async function run(input: LogInput, ctx: CommandContext): Promise<CommandResult> {
  // A log entry says who wrote it: under the shared default id it would say nobody in particular.
  const agent = actingAgent(ctx.identity, 'log');
  const repo = await ctx.repo();
  if (input.worktree !== undefined) assertWorktreeName(input.worktree);
  // Validate everything before the one write.
  const worktree =
    input.worktree !== undefined
      ? (await findWorktree(repo, input.worktree)).name
      : (await currentWorktree(repo)).name;
  const logged = { agent, worktree, message: input.message, source: 'agent' as const };
  const entry = await appendLog(repo, logged);
  const warnings: string[] = [];
  if (repo.config.coordination === 'remote') {
    const { shareQuietly, stampOf } = await import('../remote/log.js');
    await shareQuietly(repo, [{ input: logged, time: stampOf(entry.time) }], warnings);
  }
  return {
    exitCode: 0,
    data: { entry, warnings },
    render(out) {
      out.line(`logged to ${entry.file}`);
      for (const warning of warnings) out.warn(warning);
    },
  };
}
