import { hookStatus } from '../linecount/hooks/status.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const rows = await hookStatus(await ctx.repo(), ctx.env.PATH ?? '');
  return {
    exitCode: 0,
    data: { worktrees: rows },
    async render(out) {
      const { color } = out;
      await out.table(rows, [
        { header: 'WORKTREE', value: (r) => r.worktree },
        { header: 'GATE', value: (r) => (r.runs ? color.green('runs') : color.red('off')) },
        {
          header: 'VIA',
          value: (r) => (r.chained ? `${r.manager} (after chained hook)` : r.manager),
        },
        {
          header: 'NOTES',
          value: (r) => r.problem ?? (r.warning ? color.yellow(r.warning) : ''),
          shrink: true,
        },
      ]);
    },
  };
}
