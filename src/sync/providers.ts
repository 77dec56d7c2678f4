import { claimsByPath } from '../claims/store.js';
import { appendLog } from '../log/append.js';
import type { Repo } from '../repo.js';
import { syncLogMessage } from './sync.js';
import { type SyncOptions } from './types.js';

/**
 * Claims, and one status-log entry per worktree a sync changed (see syncLogMessage). A log that
 * cannot be written (not a regular file, a full disk) must not stop the sync: `warnings` says so,
 * once.
 */
export function syncProviders(
  repo: Repo,
  agent: string,
  now: Date,
): Pick<SyncOptions, 'claimOf' | 'onResult'> & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    claimOf: claimsByPath(repo, now),
    warnings,
    onResult: async (result, context) => {
      const message = syncLogMessage(result, context);
      if (message === null) return;
      try {
        const worktree = result.kind === 'worktree' ? result.name : null;
        const input = { agent, worktree, message, source: 'tmc-orch' as const };
        const entry = await appendLog(repo, input, now);
        if (repo.config.coordination === 'remote') {
          const { shareQuietly } = await import('../remote/log.js');
          await shareQuietly(repo, input, entry.time, warnings);
        }
      } catch (error) {
        const warning = `could not write the status log: ${(error as Error).message}`;
        if (!warnings.includes(warning)) warnings.push(warning);
      }
    },
  };
}
