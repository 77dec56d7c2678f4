import type { Command } from 'commander';
import type { Lazy } from './action.js';
import { parseStrategy } from './parse.js';

/** The dashboard and sync (issue 5). */
export function registerStatus(program: Command, lazy: Lazy): void {
  program
    .command('status')
    .description('every worktree: claim, ahead/behind the base, dirty state, PR lines, conflicts')
    .option('--fetch', 'fetch <remote> <base> first (otherwise no network I/O)')
    .option('--no-conflicts', 'skip the conflict forecast')
    .action(
      lazy(
        () => import('../commands/status.js'),
        (flags: { fetch?: boolean; conflicts?: boolean }) => ({
          fetch: Boolean(flags.fetch),
          conflicts: flags.conflicts !== false,
        }),
      ),
    );
  program
    .command('sync')
    .description('bring the base into worktrees (rebase or merge); a conflict starts nothing')
    .argument('[worktrees...]', 'worktree names (default: the one you are in)')
    .option('--all', 'every worktree not claimed by another agent')
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
