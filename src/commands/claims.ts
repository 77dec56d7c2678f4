import { formatTime } from '../ui/format.js';
import { listClaims } from '../claims/store.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const claims = await listClaims(await ctx.repo(), ctx.now());
  return {
    exitCode: 0,
    data: { claims },
    async render(out) {
      const now = ctx.now();
      if (claims.length === 0) {
        out.line('no claims');
        return;
      }
      const { color } = out;
      await out.table(claims, [
        { header: 'WORKTREE', value: (c) => c.worktree },
        { header: 'AGENT', value: (c) => c.agent },
        { header: 'SINCE', value: (c) => formatTime(c.since, now) },
        { header: 'HEARTBEAT', value: (c) => formatTime(c.heartbeat, now) },
        {
          header: 'STATE',
          value: (c) =>
            c.orphaned
              ? color.dim('orphaned (its worktree is gone)')
              : c.removing
                ? color.yellow(c.stale ? 'removing (stale)' : 'removing')
                : c.stale
                  ? color.red('stale')
                  : `until ${formatTime(c.expires, now)}`,
        },
        { header: 'TASK', value: (c) => c.task ?? '', shrink: true },
      ]);
    },
  };
}
