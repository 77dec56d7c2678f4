import path from 'node:path';
import { runGit } from '../git/run.js';
import { messageChain } from '../git/commit.js';
import type { Repo } from '../repo.js';
import { formatLogLine, parseLogLine, type LogEntry, type LogInput } from '../log/format.js';
import { normalizeAgent, type LogFilters } from '../log/read.js';
import { waitLock } from '../util/lock.js';
import {
  fetchObjects,
  listRemote,
  pushWithLease,
  refusedNamespaceError,
  remoteTarget,
  type RemoteTarget,
} from './transport.js';

/**
 * The shared status log of remote coordination. Each agent has one ref per day on the remote,
 * `<namespace>log/<YYYY-MM-DD>/<agent>`, whose commits are its entries (the message is the log
 * line, exactly as the local file has it). Only that agent appends there, so pushes rarely race:
 * an append is a commit on the tip it listed, pushed with a lease on that tip, and re-listed and
 * retried (until the remote timeout) when another process of the same agent won; the processes
 * of one clone take turns, so those races are between machines. `log show` lists every agent's
 * refs of the days asked for (one ls-remote), fetches them (one fetch), and merges their entries
 * with the local file's in time order. The local daily-status.log still receives every entry written on
 * this machine, first: `cat` and `tail -f` keep working, and a remote that is down loses nothing.
 */

/** The lock the processes of one clone take in turn to share their entries. */
const SHARE_LOCK = 'tmc-orch-log-share.lock';

/** The longest pause between two attempts of one append. */
const MAX_PAUSE_MS = 500;

/** A ref name component for an agent id (they are already restricted; this keeps refs valid). */
function agentComponent(agent: string): string {
  const clean = normalizeAgent(agent)
    .replace(/\.+/g, '.')
    .replace(/^\.|\.$|\.lock$/g, '');
  return clean === '' ? 'unknown' : clean;
}

function logRef(repo: Repo, day: string, agent: string): string {
  return `${repo.config.remoteCoordination.namespace}log/${day}/${agentComponent(agent)}`;
}

/** An entry already in the local file, to share: what was logged and its stamp. */
export interface SharedEntry {
  input: LogInput;
  time: Date;
}

/**
 * Appends `entries`, in order, each to its agent's ref of its day on the remote: one listing and
 * one push for all of them (a sync that logs a line per worktree costs what one entry does).
 */
async function shareLogEntries(repo: Repo, entries: readonly SharedEntry[]): Promise<void> {
  const target = remoteTarget(repo);
  // The processes of this clone take turns (a lock in the common git dir), so that a race on a
  // ref is between machines only; the lease still decides, and a lock not had in time is
  // done without.
  const release = await waitLock(path.join(repo.commonDir, SHARE_LOCK), {
    timeoutMs: target.timeoutMs,
  });
  try {
    await appendShared(repo, target, entries);
  } finally {
    await release?.();
  }
}

async function appendShared(
  repo: Repo,
  target: RemoteTarget,
  entries: readonly SharedEntry[],
): Promise<void> {
  const lines = new Map<string, string[]>();
  for (const { input, time } of entries) {
    const ref = logRef(repo, time.toISOString().slice(0, 10), input.agent);
    const line = formatLogLine(input, time).replace(/\n$/, '');
    lines.set(ref, [...(lines.get(ref) ?? []), line]);
  }
  const refs = [...lines.keys()];
  if (refs.length === 0) return;
  // One ref: list just it; several (one sync past midnight, say): the log namespace, once.
  const listed =
    refs.length === 1 ? (refs[0] as string) : `${repo.config.remoteCoordination.namespace}log/`;
  let reason = '';
  let refused: (string | null)[] | null = null;
  // Each lost race means another process of this agent landed: retried until the remote's
  // timeout rather than a fixed number of times, since one agent writing from many processes
  // on several machines may lose a race per other writer.
  const deadline = Date.now() + target.timeoutMs;
  for (let attempt = 0; attempt === 0 || Date.now() < deadline; attempt++) {
    if (attempt > 0) {
      const pause = Math.min(MAX_PAUSE_MS, 20 * attempt) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    const remote = await listRemote(target, listed);
    const tips = refs.map((ref) => remote.get(ref) ?? null);
    // Refused while every lease still held: no race was lost, the host refuses the push (refs
    // outside refs/heads/, a hook): retrying until the timeout would only repeat it. (Every
    // entry is a new commit, so a ref that changed never comes back to the value it had.)
    if (refused !== null && tips.every((t, i) => t === refused?.[i])) {
      throw refusedNamespaceError(repo, reason);
    }
    const known = tips.filter((t): t is string => t !== null);
    if (known.length > 0) await fetchObjects(target, known, true);
    const updates = [];
    for (const [i, ref] of refs.entries()) {
      const tip = tips[i] ?? null;
      const entries = (lines.get(ref) ?? []).map((line) => `${line}\n`);
      const head = await messageChain(repo.commonDir, entries, tip);
      updates.push({ ref, newOid: head, expected: tip });
    }
    const outcome = await pushWithLease(target, updates);
    if (outcome.status === 'pushed') return;
    reason = outcome.reason;
    refused = tips;
  }
  throw new Error(`the shared log kept changing under us (${reason})`);
}

/** The day (YYYY-MM-DD) of a log ref, or null. */
function dayOf(ref: string, prefix: string): string | null {
  const day = ref.slice(prefix.length).split('/')[0] ?? '';
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
}

const DAY_MS = 86_400_000;

/** Every agent's shared entries that `filters` select, in time order. */
export async function readSharedLog(repo: Repo, filters: LogFilters): Promise<LogEntry[]> {
  const target = remoteTarget(repo);
  const prefix = `${repo.config.remoteCoordination.namespace}log/`;
  const from = filters.from ?? -Infinity;
  const to = filters.to ?? Infinity;
  const tips = [...(await listRemote(target, prefix))]
    .filter(([ref]) => {
      const day = dayOf(ref, prefix);
      if (day === null) return false;
      const start = Date.parse(`${day}T00:00:00Z`);
      return start + DAY_MS > from && start < to;
    })
    .map(([, oid]) => oid);
  if (tips.length === 0) return [];
  await fetchObjects(target, tips, true);
  const { stdout } = await runGit(['log', '-z', '--format=%B', '--end-of-options', ...tips, '--'], {
    cwd: repo.commonDir,
  });
  const agent = filters.agent === undefined ? undefined : normalizeAgent(filters.agent);
  return stdout
    .split('\0')
    .flatMap((message) => parseLogLine(message.trim(), null))
    .filter((e) => {
      if (e.kind !== 'entry' || e.time === null) return false;
      const at = Date.parse(e.time);
      return (
        at >= from &&
        at < to &&
        (agent === undefined || (e.agent !== null && normalizeAgent(e.agent) === agent)) &&
        (filters.worktree === undefined || e.worktree === filters.worktree)
      );
    });
}

/**
 * The local file's entries and the shared ones as one list in time order: an entry in both (this
 * machine wrote it) once, the local copy with its line number; lines by hand stay after the entry
 * they follow. Entries of the same millisecond are ordered by their content, not by which machine
 * wrote them: every machine shows the same order.
 */
export function mergeLogs(local: readonly LogEntry[], shared: readonly LogEntry[]): LogEntry[] {
  const key = (e: LogEntry) => `${e.time}\0${e.agent}\0${e.worktree}\0${e.source}\0${e.message}`;
  const seen = new Set(local.filter((e) => e.kind === 'entry').map(key));
  // Sorted by (time, entry, position after that entry): a line by hand takes the time and entry
  // of the entry above it.
  const merged: { e: LogEntry; at: number; tie: string; after: number }[] = [];
  let last = { at: -Infinity, tie: '' };
  let after = 0;
  for (const e of local) {
    if (e.time !== null) {
      last = { at: Date.parse(e.time), tie: key(e) };
      after = 0;
    }
    merged.push({ e, ...last, after: after++ });
  }
  for (const e of shared) {
    if (seen.has(key(e))) continue;
    seen.add(key(e));
    merged.push({ e, at: Date.parse(e.time ?? ''), tie: key(e), after: 0 });
  }
  const byTie = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return merged
    .sort((a, b) => a.at - b.at || byTie(a.tie, b.tie) || a.after - b.after)
    .map(({ e }) => e);
}

/**
 * Shares entries already in the local file; a remote that is down or slow is a warning, never a
 * failure: the entries are safe in the local file.
 */
export async function shareQuietly(
  repo: Repo,
  entries: readonly SharedEntry[],
  warnings: string[],
): Promise<void> {
  if (entries.length === 0) return;
  const what = entries.length === 1 ? 'the entry is' : `the ${entries.length} entries are`;
  if (repo.offline) {
    warnings.push(`--offline: ${what} in the local log only, not shared through the remote`);
    return;
  }
  try {
    await shareLogEntries(repo, entries);
  } catch (error) {
    warnings.push(
      `${what} in the local log but could not be shared through the remote: ${(error as Error).message}`,
    );
  }
}

/** The time an entry of the local file was stamped with (its `time`; now if it has none). */
export function stampOf(time: string | null): Date {
  return time === null ? new Date() : new Date(time);
}
