import { logFile, type LogEntry } from '../log/format.js';
import { readLog, type TimeWindow } from '../log/read.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface LogShowInput {
  /** The time range, [from, to) in ms (--date, --since, --all, else today). */
  window: TimeWindow;
  /** Only entries by this agent (the --agent written after "show"). */
  agent?: string;
  worktree?: string;
}

function when(entry: LogEntry): string {
  return entry.time ? entry.time.replace('T', ' ').slice(0, 19) : '';
}

export async function run(input: LogShowInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const filters = {
    ...input.window,
    ...(input.agent !== undefined ? { agent: input.agent } : {}),
    ...(input.worktree !== undefined ? { worktree: input.worktree } : {}),
  };
  let entries = await readLog(repo, filters);
  const warnings: string[] = [];
  if (repo.config.coordination === 'remote' && !repo.offline) {
    // Every machine's entries, merged with the local file's.
    const { mergeLogs, readSharedLog } = await import('../remote/log.js');
    try {
      entries = mergeLogs(entries, await readSharedLog(repo, filters));
    } catch (error) {
      warnings.push(`showing this machine's entries only: ${(error as Error).message}`);
    }
  }
  const file = logFile(repo);
  return {
    exitCode: 0,
    data: { file, entries },
    async render(out) {
      for (const warning of warnings) out.warn(warning);
      if (entries.length === 0) {
        out.line('no entries');
        out.info(`(${file}; see all days with --all)`);
        return;
      }
      const { color } = out;
      await out.table(entries, [
        { header: 'TIME (UTC)', value: (e) => (e.time ? when(e) : color.dim('(by hand)')) },
        { header: 'AGENT', value: (e) => e.agent ?? '' },
        { header: 'WORKTREE', value: (e) => e.worktree ?? '' },
        {
          header: 'MESSAGE',
          value: (e) => (e.source === 'tmc-orch' ? color.dim(e.message) : e.message),
          shrink: true,
        },
      ]);
    },
  };
}
