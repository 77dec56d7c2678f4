import type { Command } from 'commander';
import type { Lazy } from './action.js';
import { parseCoordination, parsePositiveInt } from './parse.js';

/** Setting a repository up: init and config. */
export function registerSetup(program: Command, lazy: Lazy): void {
  program
    .command('init')
    .description('write .tmc-orch.json in the main worktree and create the folders')
    .option('--base <branch>', 'base branch (default main)')
    .option('--remote <name>', 'remote of the base branch; "" for none (default origin)')
    .option('--worktree-root <dir>', 'folder of the worktrees, relative to the main worktree')
    .option('--branch-prefix <prefix>', 'prefix of new branches, e.g. feature/team/')
    .option('--shared-dir <dir>', 'folder of the shared status log')
    .option('--limit <n>', 'PR line limit (default 700)')
    .option(
      '--coordination <mode>',
      '"local" (default) or "remote": share claims and the log through the remote',
    )
    .option('--force', 'overwrite an existing config file')
    .action(
      lazy(
        () => import('../commands/init.js'),
        (flags: {
          base?: string;
          remote?: string;
          worktreeRoot?: string;
          branchPrefix?: string;
          sharedDir?: string;
          limit?: string;
          coordination?: string;
          force?: boolean;
        }) => {
          const { limit, force, coordination, ...paths } = flags;
          return {
            ...paths,
            ...(coordination !== undefined
              ? { coordination: parseCoordination(coordination) }
              : {}),
            ...(limit !== undefined ? { limit: parsePositiveInt(limit, '--limit', 700) } : {}),
            force: Boolean(force),
          };
        },
      ),
    );

  program
    .command('doctor')
    .description(
      'check hooks, claims, locks and the remote; each finding with its fix (--fix: the safe ones)',
    )
    .option('--fix', 'apply the safe fixes: drop orphaned claims, remove stale lock mirrors')
    .action(
      lazy(
        () => import('../commands/doctor.js'),
        (flags: { fix?: boolean }) => ({ fix: Boolean(flags.fix) }),
      ),
    );

  program
    .command('config')
    .description(
      'show the effective config and where each value came from: default < user < repository < env < flag',
    )
    .action(
      lazy(
        () => import('../commands/config.js'),
        () => ({}),
      ),
    );
}
