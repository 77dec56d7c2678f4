import { formatClaimTime, listClaims } from '../worktrees/claims.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const claims = await listClaims(await ctx.repo(), ctx.now());
  return {
    exitCode: 0,
    data: { claims },
    async render(out) {
      if (claims.length === 0) {
        out.line('no claims');
        return;
      }
      const { color } = out;
      await out.table(claims, [
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
    },
  };
}
