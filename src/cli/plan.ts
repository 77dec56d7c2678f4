import type { Command } from 'commander';
import type { Lazy } from './action.js';
import { parseDurationFlag, parsePositiveInt } from './parse.js';

/** The orchestration plan (issue 12): plan, plan import, gate, and the demo. */
export function registerPlan(program: Command, lazy: Lazy): void {
  const plan = program
    .command('plan')
    .description(
      'the plan joined with live state: claims, PR lines, gates, merged, blocked streams',
    )
    .action(
      lazy(
        () => import('../commands/plan.js'),
        () => ({}),
      ),
    );
  plan
    .command('import')
    .description("read a markdown plan's agent table and streams into the config")
    .argument('<file>', 'the plan, e.g. docs/orchestration-plan.md')
    .option('--dry-run', 'print what would be read and written; write nothing')
    .action(
      lazy(
        () => import('../commands/plan-import.js'),
        (file: string, flags: { dryRun?: boolean }) => ({ file, dryRun: Boolean(flags.dryRun) }),
      ),
    );
  program
    .command('gate')
    .description("run the plan's gates (commands, no shell) in worktrees; exit 1 if one fails")
    .argument('[worktrees...]', 'worktree names (default: the one you are in)')
    .option('--all', 'every worktree')
    .option(
      '--timeout <duration>',
      "stop a gate after this long, e.g. 5m (default: the gate's timeout, else 10m)",
    )
    .option('--concurrency <n>', 'worktrees at once (default: cores, at most 4)')
    .action(
      lazy(
        () => import('../commands/gate.js'),
        (
          worktrees: string[],
          flags: { all?: boolean; timeout?: string; concurrency?: string },
        ) => ({
          worktrees,
          all: Boolean(flags.all),
          ...(flags.timeout !== undefined
            ? { timeoutMs: parseDurationFlag(flags.timeout, '--timeout') }
            : {}),
          ...(flags.concurrency !== undefined
            ? { concurrency: parsePositiveInt(flags.concurrency, '--concurrency', 4) }
            : {}),
        }),
      ),
    );
  program
    .command('demo')
    .description(
      'build a throwaway repository from an example plan and show the tool at work (nothing outside DIR is touched)',
    )
    .argument(
      '[dir]',
      'where to build it: a new or empty folder, or an earlier demo (default: a new temp folder)',
    )
    .action(
      lazy(
        () => import('../commands/demo.js'),
        (dir: string | undefined) => ({ dir }),
      ),
    );
}
