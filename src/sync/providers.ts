import { claimsByPath } from '../claims/store.js';
import { appendLog } from '../log/append.js';
import type { LogInput } from '../log/format.js';
import type { Repo } from '../repo.js';
import { syncLogMessage } from './sync.js';
import { type SyncOptions } from './types.js';

/**
 * Claims, and one status-log entry per worktree a sync changed (see syncLogMessage). A log that
 * cannot be written (not a regular file, a full disk) must not stop the sync: `warnings` says so,
 * once. Each entry goes to the local file at once; under coordination "remote", `share` sends
 * them all through the remote at the end, in one push, not one per worktree.
 */
export function syncProviders(
  repo: Repo,
  agent: string,
  now: Date,
): Pick<SyncOptions, 'claimOf' | 'onResult'> & { warnings: string[]; share(): Promise<void> } {
  const warnings: string[] = [];
  const written: { input: LogInput; time: string | null }[] = [];
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
        written.push({ input, time: entry.time });
      } catch (error) {
        const warning = `could not write the status log: ${(error as Error).message}`;
        if (!warnings.includes(warning)) warnings.push(warning);
      }
    },
    async share() {
      if (repo.config.coordination !== 'remote' || written.length === 0) return;
      const { shareQuietly, stampOf } = await import('../remote/log.js');
      const entries = written.splice(0).map((w) => ({ input: w.input, time: stampOf(w.time) }));
      await shareQuietly(repo, entries, warnings);
    },
  };
}
