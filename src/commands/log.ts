import { appendLog } from '../status/log.js';
import { assertWorktreeName } from '../worktrees/names.js';
import { currentWorktree, findWorktree } from '../worktrees/worktrees.js';
import { actingAgent } from '../config/identity.js';
import type { CommandContext } from './context.js';

export async function run(
  words: string[],
  flags: { worktree?: string },
  ctx: CommandContext,
): Promise<number> {
  const message = words.join(' ');
  // A log entry says who wrote it: under the shared default id it would say nobody in particular.
  const agent = actingAgent(ctx.identity, 'log');
  const repo = await ctx.repo();
  if (flags.worktree !== undefined) assertWorktreeName(flags.worktree);
  // Validate everything before the one write.
  const worktree =
    flags.worktree !== undefined
      ? (await findWorktree(repo, flags.worktree)).name
      : (await currentWorktree(repo)).name;
  const entry = await appendLog(repo, { agent, worktree, message, source: 'agent' });
  if (ctx.out.json) {
    ctx.out.data({ entry });
    return 0;
  }
  ctx.out.line(`logged to ${entry.file}`);
  return 0;
}
