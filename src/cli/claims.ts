import type { Command } from 'commander';
import type { Lazy } from './action.js';
import { parseTask, parseTtl } from './parse.js';

/** Claims (issue 4): claim, release, claims. */
export function registerClaims(program: Command, lazy: Lazy): void {
  program
    .command('claim')
    .description('claim a worktree for the acting agent, renew your claim, or take one over')
    .argument('<worktree>', 'worktree name')
    .option('--task <text>', 'what you are doing there (shown to other agents)')
    .option('--ttl <duration>', 'stale after this long without a heartbeat, e.g. 90m, 24h, 7d')
    .option('--steal-stale', 'take over a claim whose heartbeat is older than its TTL')
    .option(
      '--force',
      "take over the claim even if it is fresh; claim even if the plan says the worktree's stream waits (logged)",
    )
    .action(
      lazy(
        () => import('../commands/claim.js'),
        (
          worktree: string,
          flags: { task?: string; ttl?: string; stealStale?: boolean; force?: boolean },
        ) => ({
          worktree,
          ...(flags.task !== undefined ? { task: parseTask(flags.task) } : {}),
          ...(flags.ttl !== undefined ? { ttlMs: parseTtl(flags.ttl) } : {}),
          stealStale: Boolean(flags.stealStale),
          force: Boolean(flags.force),
        }),
      ),
    );
  program
    .command('release')
    .description('release your claim on a worktree')
    .argument('<worktree>', 'worktree name')
    .option('--force', "release another agent's claim (only the claim seen)")
    .action(
      lazy(
        () => import('../commands/release.js'),
        (worktree: string, flags: { force?: boolean }) => ({
          worktree,
          force: Boolean(flags.force),
        }),
      ),
    );
  program
    .command('claims')
    .description('every claim: worktree, agent, task, since, heartbeat, expiry, stale')
    .action(
      lazy(
        () => import('../commands/claims.js'),
        () => ({}),
      ),
    );
}
