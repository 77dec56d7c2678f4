import { pruneWorktreesFor } from '../worktrees/worktrees.js';
import type { CommandContext } from './context.js';

export async function run(_flags: Record<string, never>, ctx: CommandContext): Promise<number> {
  const result = await pruneWorktreesFor(await ctx.repo());
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  if (result.pruned.length === 0) ctx.out.line('nothing to prune');
  for (const p of result.pruned) ctx.out.line(`pruned ${p.name} (${p.path}): ${p.reason}`);
  return 0;
}
