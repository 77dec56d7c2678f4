import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Lazy } from './action.js';

interface AddFlags {
  branch?: string;
  from?: string;
  fromPlan?: boolean;
  /** false for --no-copy. */
  copy?: boolean;
}

/** Worktree lifecycle: add, list, remove, clean, prune. */
export function registerWorktrees(program: Command, lazy: Lazy): void {
  const worktree = program.command('worktree').description('create, list and remove worktrees');
  worktree
    .command('add')
    .description(
      'create <worktreeRoot>/<name> on branch <branchPrefix><name>, copy in the ignored files .worktreeinclude names, run worktrees.postCreate',
    )
    .argument('[name]', 'worktree name: letters, digits, ".", "_", "-"')
    .option('--branch <branch>', 'branch to create or check out (default <branchPrefix><name>)')
    .option('--from <ref>', 'start a new branch here (default <remote>/<base>, else <base>)')
    .option('--from-plan', 'create every worktree the plan names that does not exist yet')
    .option('--no-copy', 'copy no ignored files (.worktreeinclude, worktrees.copy) into it')
    .action((name: string | undefined, flags: AddFlags, command: Command) =>
      flags.fromPlan ? addFromPlan(name, flags, command) : addOne(name, flags, command),
    );
  const addOne = lazy(
    () => import('../commands/worktree-add.js'),
    (name: string | undefined, flags: AddFlags, _command: Command) => {
      if (name === undefined) {
        throw new UsageError(
          'worktree add needs a <name>, or --from-plan for every planned worktree',
        );
      }
      return {
        name,
        copy: flags.copy !== false,
        ...(flags.branch !== undefined ? { branch: flags.branch } : {}),
        ...(flags.from !== undefined ? { from: flags.from } : {}),
      };
    },
  );
  const addFromPlan = lazy(
    () => import('../commands/worktree-add-plan.js'),
    (name: string | undefined, flags: AddFlags, _command: Command) => {
      if (name !== undefined || flags.branch !== undefined) {
        throw new UsageError(
          `--from-plan creates the plan's worktrees on their default branches; drop ${name !== undefined ? `the name "${name}"` : '--branch'}, or run tmc-orch worktree add <name> without --from-plan`,
        );
      }
      return flags.from !== undefined ? { from: flags.from } : {};
    },
  );
  worktree
    .command('list')
    .description('every worktree with its branch, head, dirty state and lock')
    .action(
      lazy(
        () => import('../commands/worktree-list.js'),
        () => ({}),
      ),
    );
  worktree
    .command('remove')
    .description('remove a worktree; refuses uncommitted work unless --force')
    .argument('<worktree>', 'worktree name')
    .option('--force', 'remove even with uncommitted or untracked changes')
    .option(
      '--delete-branch',
      'also delete its branch, only when integrated into the base (merged, rebased or squashed)',
    )
    .action(
      lazy(
        () => import('../commands/worktree-remove.js'),
        (name: string, flags: { force?: boolean; deleteBranch?: boolean }) => ({
          name,
          force: Boolean(flags.force),
          deleteBranch: Boolean(flags.deleteBranch),
        }),
      ),
    );
  worktree
    .command('clean')
    .description(
      'remove every unclaimed, clean worktree whose branch is integrated into the base (merged, rebased or squashed), and its branch',
    )
    .option('--dry-run', 'list what would be removed and why the others stay; change nothing')
    .action(
      lazy(
        () => import('../commands/worktree-clean.js'),
        (flags: { dryRun?: boolean }) => ({ dryRun: Boolean(flags.dryRun) }),
      ),
    );
  worktree
    .command('prune')
    .description("drop git's records of worktrees whose folders are gone")
    .action(
      lazy(
        () => import('../commands/worktree-prune.js'),
        () => ({}),
      ),
    );
}
