import path from 'node:path';
import { RefusedError } from '../errors.js';
import { fetchBranch, refCommits, remoteExists } from '../git/index.js';
import type { Repo } from '../repo.js';
import { durationMs } from '../util/duration.js';
import { readTextOrNull, writeFileAtomic } from '../util/fs.js';
import { tryLock, waitLock } from '../util/lock.js';
import { shortId } from '../ui/format.js';

/**
 * Fetches `<remote> <branch>` for any number of tmc-orch processes asking at the same moment,
 * and never serves a run with a fetch older than the run. Two `git fetch` runs updating the same
 * remote-tracking ref fail with "cannot lock ref", so a lock in the common git dir serialises
 * them; a stamp written after each fetch records when it started and whether it failed. A run
 * that got the lock uses the last fetch only if that fetch started after the run asked (it was
 * waiting for the lock meanwhile), so what it saw of the remote is no older than the run;
 * otherwise it fetches itself. Processes started together thus share one or two fetches, and a
 * run started after the remote moved always sees the move. A failure is shared the same way, so
 * an unreachable remote costs one timeout, not one per waiting process.
 */

export const FETCH_LOCK = 'tmc-orch-fetch.lock';
export const FETCH_STAMP = 'tmc-orch-fetch.stamp';

/** How long one git fetch may take when the config does not say (sync.fetchTimeout). */
const DEFAULT_FETCH_TIMEOUT_MS = 120_000;

export interface FetchOnceOptions {
  /** How long to wait for another process's fetch (default 5 minutes). */
  timeoutMs?: number;
  pollMs?: number;
  /** How long git fetch may run before it is stopped (default DEFAULT_FETCH_TIMEOUT_MS). */
  fetchTimeoutMs?: number;
  /** Called once when another process holds the lock and we start waiting. */
  onWait?: () => void;
}

export interface FetchOnceResult {
  /** true when this process ran git fetch and it succeeded. */
  fetched: boolean;
  /** Why the remote could not be fetched (by this process or the one it waited for), else null. */
  error: string | null;
}

interface Stamp {
  /** When the fetch started (ms since the epoch). */
  started: number;
  error: string | null;
}

export async function fetchOnce(
  commonDir: string,
  cwd: string,
  remote: string,
  branch: string,
  options: FetchOnceOptions = {},
): Promise<FetchOnceResult> {
  const asked = Date.now();
  const lockFile = path.join(commonDir, FETCH_LOCK);
  const stampFile = path.join(commonDir, FETCH_STAMP);
  let release = await tryLock(lockFile);
  if (!release) {
    options.onWait?.();
    release = await waitLock(lockFile, {
      timeoutMs: options.timeoutMs ?? 5 * 60 * 1000,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
  }
  if (!release) {
    throw new RefusedError(
      `another tmc-orch has been fetching for too long (lock ${lockFile}); wait for it, or delete the lock if no tmc-orch is running`,
    );
  }
  try {
    const last = await readStamp(stampFile, remote, branch);
    if (last && last.started >= asked) return { fetched: false, error: last.error };
    const started = Date.now();
    const outcome = await fetchBranch(
      cwd,
      remote,
      branch,
      options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
    );
    const error = outcome.ok ? null : outcome.reason;
    const stamp = { remote, branch, started, error };
    await writeFileAtomic(stampFile, `${JSON.stringify(stamp)}\n`);
    return { fetched: outcome.ok, error };
  } finally {
    await release();
  }
}

/** The last fetch of this remote and branch, or null (none yet, another branch, unreadable). */
async function readStamp(stampFile: string, remote: string, branch: string): Promise<Stamp | null> {
  try {
    const value = JSON.parse((await readTextOrNull(stampFile)) ?? 'null') as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const s = value as Record<string, unknown>;
    if (s.remote !== remote || s.branch !== branch || typeof s.started !== 'number') return null;
    return { started: s.started, error: typeof s.error === 'string' ? s.error : null };
  } catch {
    return null;
  }
}

export interface BaseFetch {
  /** Whether this process ran git fetch (false when a concurrent one served it, or it failed). */
  fetched: boolean;
  /** What the user must know: the remote is missing or unreachable, and what was used instead. */
  warnings: string[];
}

/**
 * Brings `<remote>/<base>` up to date for sync and status --fetch. A remote that cannot be
 * fetched (offline, a bad URL, no such branch) is a warning when a local `<remote>/<base>` exists,
 * which is then used as it is; without one there is nothing to sync with (RefusedError, exit 1).
 */
export async function fetchBase(
  repo: Repo,
  options: Pick<FetchOnceOptions, 'onWait'> = {},
): Promise<BaseFetch> {
  const { remote, base } = repo.config;
  if (!remote) return { fetched: false, warnings: [] };
  if (!(await remoteExists(repo.toplevel, remote))) {
    return {
      fetched: false,
      warnings: [
        `remote ${JSON.stringify(remote)} does not exist, so nothing was fetched; add it (git remote add ${remote} <url>) or set "remote": "" in the config`,
      ],
    };
  }
  const result = await fetchOnce(repo.commonDir, repo.mainRoot, remote, base, {
    fetchTimeoutMs: durationMs(repo.config.sync.fetchTimeout),
    ...options,
  });
  if (result.error === null) return { fetched: result.fetched, warnings: [] };
  const ref = `refs/remotes/${remote}/${base}`;
  const local = (await refCommits(repo.toplevel, [ref])).get(ref);
  if (!local) {
    throw new RefusedError(
      `could not fetch ${base} from ${remote} (${result.error}), and there is no local copy of ${remote}/${base} to use instead; fix the remote (check git remote get-url ${remote}, and that it has a branch ${base}), then run again`,
    );
  }
  return {
    fetched: false,
    warnings: [
      `could not fetch ${base} from ${remote} (${result.error}); using the local ${remote}/${base} (${shortId(local)}), which may be behind the remote`,
    ],
  };
}
