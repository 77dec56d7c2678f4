import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Lazy } from './action.js';
import type { GlobalOptions } from './context.js';
import { parseInterval, parseStrategy } from './parse.js';

/** The dashboard and sync (issue 5). */
export function registerStatus(program: Command, lazy: Lazy): void {
  program
    .command('status')
    .description('every worktree: claim, ahead/behind the base, dirty state, PR lines, conflicts')
    .option(
      '--fetch',
      'fetch <remote> <base> first (otherwise no fetch; under coordination "remote" one listing of the claims)',
    )
    .option('--no-conflicts', 'skip the conflict forecast')
    .option(
      '--watch',
      'refresh until interrupted: in place on a terminal, one after another otherwise',
    )
    .option('--interval <duration>', 'with --watch: time between refreshes (default 5s)')
    .action(
      lazy(
        () => import('../commands/status.js'),
        (
          flags: { fetch?: boolean; conflicts?: boolean; watch?: boolean; interval?: string },
          command: Command,
        ) => {
          if (flags.watch && command.optsWithGlobals<GlobalOptions>().json) {
            throw new UsageError(
              '--watch redraws for people and --json prints one document; drop one (scripts: run tmc-orch status --json at their own interval)',
            );
          }
          if (flags.interval !== undefined && !flags.watch) {
            throw new UsageError(
              '--interval applies to --watch only; add --watch, or drop --interval',
            );
          }
          return {
            fetch: Boolean(flags.fetch),
            conflicts: flags.conflicts !== false,
            watch: flags.watch ? { intervalMs: parseInterval(flags.interval ?? '5s') } : null,
          };
        },
      ),
    );
  program
    .command('sync')
    .description('bring the base into worktrees (rebase or merge); a conflict starts nothing')
    .argument('[worktrees...]', 'worktree names (default: the one you are in)')
    .option(
      '--all',
      'every worktree not claimed by another agent, and the parts of stacks no worktree holds',
    )
    .option('--strategy <strategy>', 'rebase or merge (default: config sync.strategy)')
    .option('--dry-run', 'report what would happen (no fetch, no change)')
    .action(
      lazy(
        () => import('../commands/sync.js'),
        (names: string[], flags: { all?: boolean; strategy?: string; dryRun?: boolean }) => ({
          names,
          all: Boolean(flags.all),
          ...(flags.strategy !== undefined ? { strategy: parseStrategy(flags.strategy) } : {}),
          dryRun: Boolean(flags.dryRun),
        }),
      ),
    );
}
