import { addWorktreeFor } from '../worktrees/worktrees.js';
import type { CommandContext } from './context.js';

export async function run(
  name: string,
  flags: { branch?: string; from?: string },
  ctx: CommandContext,
): Promise<number> {
  const repo = await ctx.repo();
  const result = await addWorktreeFor(repo, {
    name,
    ...(flags.branch !== undefined ? { branch: flags.branch } : {}),
    ...(flags.from !== undefined ? { from: flags.from } : {}),
  });
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const { out } = ctx;
  const how = result.created
    ? `new branch ${result.branch} from ${result.from}`
    : `existing branch ${result.branch}`;
  out.line(`${out.color.green('created')} worktree ${result.name} at ${result.path} (${how})`);
  for (const warning of result.warnings) out.warn(warning);
  out.info(`next: cd ${result.path} && tmc-orch claim ${result.name}`);
  return 0;
}
