import { formatClaimTime, listClaims } from '../worktrees/claims.js';
import type { CommandContext } from './context.js';

export async function run(_flags: Record<string, never>, ctx: CommandContext): Promise<number> {
  const claims = await listClaims(await ctx.repo());
  if (ctx.out.json) {
    ctx.out.data({ claims });
    return 0;
  }
  if (claims.length === 0) {
    ctx.out.line('no claims');
    return 0;
  }
  const { color } = ctx.out;
  await ctx.out.table(claims, [
    { header: 'WORKTREE', value: (c) => c.worktree },
    { header: 'AGENT', value: (c) => c.agent },
    { header: 'SINCE', value: (c) => formatClaimTime(c.since) },
    { header: 'HEARTBEAT', value: (c) => formatClaimTime(c.heartbeat) },
    {
      header: 'STATE',
      value: (c) =>
        c.orphaned
          ? color.dim('orphaned (its worktree is gone)')
          : c.removing
            ? color.yellow(c.stale ? 'removing (stale)' : 'removing')
            : c.stale
              ? color.red('stale')
              : `until ${formatClaimTime(c.expires)}`,
    },
    { header: 'TASK', value: (c) => c.task ?? '', shrink: true },
  ]);
  return 0;
}
