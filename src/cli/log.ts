import type { Command } from 'commander';
import type { Lazy, Session } from './action.js';
import { agentAfterShow } from './argv.js';
import type { GlobalOptions } from './context.js';
import { logWindow } from './parse.js';

/** The shared daily status log (issue 4): log and log show. */
export function registerLog(program: Command, lazy: Lazy, session: Session): void {
  const log = program
    .command('log')
    .description('append an entry to the shared daily status log (see also: log show)')
    .argument('<message...>', 'what you are doing; a first word "show" means log show')
    .option('--worktree <name>', 'the worktree the entry is about (default: the current one)')
    .action(
      lazy(
        () => import('../commands/log.js'),
        (words: string[], flags: { worktree?: string }) => ({
          message: words.join(' '),
          ...(flags.worktree !== undefined ? { worktree: flags.worktree } : {}),
        }),
      ),
    );
  log
    .command('show')
    .description("today's status log entries (UTC) in time order, hand-written lines included")
    .option('--date <YYYY-MM-DD>', 'entries of that UTC day')
    .option(
      '--since <when>',
      'entries since a date, an ISO time (UTC unless it has an offset), or a duration ago (2h)',
    )
    .option('--all', 'every entry')
    .option('--agent <id>', 'only entries by this agent ("agent-3" matches "Agent 3")')
    .option('--worktree <name>', 'only entries about this worktree')
    .action(
      lazy(
        () => import('../commands/log-show.js'),
        (flags: { date?: string; since?: string; all?: boolean }) => {
          // --agent and --worktree are also options of the parents, which take them first. The
          // global --agent names the acting agent too: only one written after "show" filters, so
          // `tmc-orch --agent agent-3 log show` still lists everyone.
          const { worktree } = log.opts<{ worktree?: string }>();
          const agent = agentAfterShow(session.argv)
            ? program.opts<GlobalOptions>().agent
            : undefined;
          return {
            window: logWindow(flags, session.io.now()),
            ...(worktree !== undefined ? { worktree } : {}),
            ...(agent !== undefined ? { agent } : {}),
          };
        },
      ),
    );
}
