import { logFile, readLog, type LogEntry, type LogFilters } from '../status/log.js';
import type { CommandContext } from './context.js';

export interface LogShowFlags {
  date?: string;
  since?: string;
  all?: boolean;
  /** The global --agent: for log show it filters by agent. */
  agent?: string;
  worktree?: string;
}

function when(entry: LogEntry): string {
  return entry.time ? entry.time.replace('T', ' ').slice(0, 19) : '';
}

export async function run(flags: LogShowFlags, ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const filters: LogFilters = {};
  if (flags.date !== undefined) filters.date = flags.date;
  if (flags.since !== undefined) filters.since = flags.since;
  if (flags.all) filters.all = true;
  if (flags.agent !== undefined) filters.agent = flags.agent;
  if (flags.worktree !== undefined) filters.worktree = flags.worktree;
  const entries = await readLog(repo, filters);
  if (ctx.out.json) {
    ctx.out.data({ file: logFile(repo), entries });
    return 0;
  }
  if (entries.length === 0) {
    ctx.out.line('no entries');
    ctx.out.info(`(${logFile(repo)}; see all days with --all)`);
    return 0;
  }
  const { color } = ctx.out;
  await ctx.out.table(entries, [
    { header: 'TIME (UTC)', value: (e) => (e.time ? when(e) : color.dim('(by hand)')) },
    { header: 'AGENT', value: (e) => e.agent ?? '' },
    { header: 'WORKTREE', value: (e) => e.worktree ?? '' },
    {
      header: 'MESSAGE',
      value: (e) => (e.source === 'tmc-orch' ? color.dim(e.message) : e.message),
      shrink: true,
    },
  ]);
  return 0;
}
