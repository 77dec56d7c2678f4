import type { Command } from 'commander';
import type { Lazy } from './action.js';
import { parsePositiveInt } from './parse.js';

/** PR line counting, the gate and the pre-push hook (issue 3). */
export function registerLinecount(program: Command, lazy: Lazy): void {
  program
    .command('lines')
    .description('count the lines a PR of REV shows, without generated files')
    .argument('[rev]', 'the branch or commit to count (default HEAD)')
    .option('--base <ref>', 'count from the merge base with this (default <remote>/<base>)')
    .option('--working-tree', 'also count uncommitted changes to tracked files')
    .option('--by-file', 'list every file with its count and why it is (not) counted')
    .action(
      lazy(
        () => import('../commands/lines.js'),
        (
          rev: string | undefined,
          flags: { base?: string; workingTree?: boolean; byFile?: boolean },
        ) => ({
          ...(rev !== undefined ? { rev } : {}),
          ...(flags.base !== undefined ? { base: flags.base } : {}),
          workingTree: Boolean(flags.workingTree),
          byFile: Boolean(flags.byFile),
        }),
      ),
    );
  program
    .command('check')
    .description('exit 1 when the PR of REV has too many counted lines')
    .argument('[rev]', 'the branch or commit to check (default HEAD)')
    .option('--base <ref>', 'count from the merge base with this (default <remote>/<base>)')
    .option('--limit <n>', 'the limit (default lines.limit, 700)')
    .action(
      lazy(
        () => import('../commands/check.js'),
        (rev: string | undefined, flags: { base?: string; limit?: string }) => ({
          ...(rev !== undefined ? { rev } : {}),
          ...(flags.base !== undefined ? { base: flags.base } : {}),
          ...(flags.limit !== undefined
            ? { limit: parsePositiveInt(flags.limit, '--limit', 700) }
            : {}),
        }),
      ),
    );

  const hooks = program
    .command('hooks')
    .description('install the pre-push gate for every worktree');
  hooks
    .command('install')
    .description('install the pre-push hook, chaining an existing one')
    .option(
      '--force',
      'install even where lefthook or pre-commit manage the hooks, or into a shared hooks folder',
    )
    .action(
      lazy(
        () => import('../commands/hooks-install.js'),
        (flags: { force?: boolean }) => ({ force: Boolean(flags.force) }),
      ),
    );
  hooks
    .command('uninstall')
    .description('remove the hook and restore exactly what was there')
    .action(
      lazy(
        () => import('../commands/hooks-uninstall.js'),
        () => ({}),
      ),
    );
  hooks
    .command('status')
    .description('for every worktree, whether the gate runs on a push from there')
    .action(
      lazy(
        () => import('../commands/hooks-status.js'),
        () => ({}),
      ),
    );

  program
    .command('hook')
    .description('entry points git hooks call')
    .command('pre-push')
    .description('the gate, as git runs it: reads the pushed refs on stdin')
    .argument('[remote]', 'the remote pushed to')
    .argument('[url]', 'its URL')
    .option('--pre-commit', "read the pushed branch from pre-commit's PRE_COMMIT_* variables")
    .action(
      lazy(
        () => import('../commands/hook-pre-push.js'),
        (remote: string | undefined, _url: string | undefined, flags: { preCommit?: boolean }) => ({
          ...(remote !== undefined ? { remote } : {}),
          preCommit: Boolean(flags.preCommit),
        }),
      ),
    );
}
