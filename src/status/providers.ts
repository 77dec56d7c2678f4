import { openLinesCache } from '../linecount/cache.js';
import { countLines } from '../linecount/count.js';
import type { Repo } from '../repo.js';
import { claimsByPath } from '../claims/store.js';
import { readLogTail } from '../log/read.js';
import type { LogEntry } from '../log/format.js';
import type { StatusProviders } from './row.js';

/**
 * The real providers of the status dashboard: claims, PR line counts and the status log, each
 * read once per run (one for-each-ref for all claims, one read of the log file), not once per
 * worktree.
 */

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

/**
 * The providers of one status run; call save() after it, to keep the PR line counts. `warnings`
 * says what could not be read (a status log that is not a regular file): the dashboard shows the
 * rest.
 */
export async function statusProviders(
  repo: Repo,
  now: Date,
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
    claimOf: claimsByPath(repo, now),
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
