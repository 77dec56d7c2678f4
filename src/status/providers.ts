import { openLinesCache } from '../linecount/cache.js';
import { countLines } from '../linecount/count.js';
import type { Repo } from '../repo.js';
import { listClaims, type Claim } from '../worktrees/claims.js';
import { appendLog, readLogTail, type LogEntry } from './log.js';
import type { StatusProviders } from './status.js';
import { syncLogMessage, type SyncOptions } from './sync.js';

/**
 * The real providers of the status dashboard and sync: claims, PR line counts and the status
 * log, each read once per run (one for-each-ref for all claims, one read of the log file), not
 * once per worktree.
 */

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

/** The claim holding each worktree, found by path (two worktrees may share a name). */
export function claimProvider(
  repo: Repo,
  now = new Date(),
): (wt: { path: string }) => Promise<Claim | null> {
  const all = once(
    async () =>
      new Map(
        (await listClaims(repo, now))
          .filter((c) => c.path !== null)
          .map((c) => [c.path, c] as const),
      ),
  );
  return async (wt) => (await all()).get(wt.path) ?? null;
}

/**
 * The providers of one status run; call save() after it, to keep the PR line counts. `warnings`
 * says what could not be read (a status log that is not a regular file): the dashboard shows the
 * rest.
 */
export async function statusProviders(
  repo: Repo,
  now = new Date(),
): Promise<StatusProviders & { save(): Promise<void>; warnings: string[] }> {
  const warnings: string[] = [];
  const newest = once(async () => {
    const byWorktree = new Map<string, LogEntry>();
    let entries: LogEntry[] = [];
    try {
      entries = await readLogTail(repo);
    } catch (error) {
      warnings.push(`LAST LOG not shown: ${(error as Error).message}`);
    }
    // Time order: the last entry seen for a worktree is its newest. tmc-orch's own entries
    // (claimed, synced) say nothing about what the agent is doing.
    for (const entry of entries) {
      if (entry.worktree && entry.source === 'agent') byWorktree.set(entry.worktree, entry);
    }
    return byWorktree;
  });
  const cache = await openLinesCache(repo);
  return {
    claimOf: claimProvider(repo, now),
    lastLogOf: async (wt) => {
      const entry = (await newest()).get(wt.name);
      return entry ? { ...entry } : null;
    },
    linesOf: async (wt, baseCommit) => {
      if (!wt.head) return null;
      const cached = cache.get(baseCommit, wt.head);
      if (cached) return cached;
      const report = await countLines(repo, { rev: wt.head, base: baseCommit });
      const counted = { lines: report.counted.lines, withinLimit: report.withinLimit };
      cache.set(baseCommit, wt.head, counted);
      return counted;
    },
    save: () => cache.save(),
    warnings,
  };
}

/**
 * Claims, and one status-log entry per worktree a sync changed (see syncLogMessage). A log that
 * cannot be written (not a regular file, a full disk) must not stop the sync: `warnings` says so,
 * once.
 */
export function syncProviders(
  repo: Repo,
  agent: string,
): Pick<SyncOptions, 'claimOf' | 'onResult'> & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    claimOf: claimProvider(repo),
    warnings,
    onResult: async (result, context) => {
      const message = syncLogMessage(result, context);
      if (message === null) return;
      try {
        const input = { agent, worktree: result.name, message, source: 'tmc-orch' as const };
        const entry = await appendLog(repo, input);
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
