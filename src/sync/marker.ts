import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readTextOrNull, writeFileAtomic } from '../util/fs.js';
import { isObjectId } from '../git/object-id.js';

/**
 * The record of a rebase or merge tmc-orch sync started in a worktree, in that worktree's git
 * dir, written before git starts and removed once the sync has checked the outcome. If it is
 * still there when the next sync comes (the sync was killed, or git outlived it), that sync knows
 * which operation is its own to finish or undo, and from and to which commits; any other
 * operation in progress is someone else's and left alone.
 */

const SYNC_MARKER = 'tmc-orch-sync.json';
/** git's messages of the integrating command (a file, so git survives a killed sync). */
export const SYNC_OUTPUT = 'tmc-orch-sync.out';

export interface SyncMarker {
  operation: 'rebase' | 'merge';
  /** The branch being synced (without refs/heads/). */
  branch: string;
  /** Its commit before the sync. */
  before: string;
  /** The commit being brought in. */
  target: string;
  /**
   * For a part of a stack: the rebase replays only the commits after this one (`rebase --onto
   * target upstream`); null for a plain rebase or a merge.
   */
  upstream: string | null;
  /** The stack record to write once the operation is done and checked; null outside a stack. */
  record: { parent: string | null; forkPoint: string | null } | null;
  /** The tmc-orch process, and the git it started (null until git runs). */
  pid: number;
  gitPid: number | null;
  /** ISO time the operation started. */
  started: string;
}

export async function readMarker(gitDir: string): Promise<SyncMarker | null> {
  const text = await readTextOrNull(path.join(gitDir, SYNC_MARKER)).catch(() => null);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<SyncMarker>;
    const id = (v: unknown): v is string => typeof v === 'string' && isObjectId(v);
    if (
      (value.operation !== 'rebase' && value.operation !== 'merge') ||
      typeof value.branch !== 'string' ||
      !id(value.before) ||
      !id(value.target)
    ) {
      return null;
    }
    const record = value.record as Partial<NonNullable<SyncMarker['record']>> | null | undefined;
    const nameOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
    return {
      operation: value.operation,
      branch: value.branch,
      before: value.before,
      target: value.target,
      upstream: id(value.upstream) ? value.upstream : null,
      record:
        record && nameOrNull(record.parent) && (record.forkPoint === null || id(record.forkPoint))
          ? { parent: record.parent, forkPoint: record.forkPoint }
          : null,
      pid: typeof value.pid === 'number' ? value.pid : 0,
      gitPid: typeof value.gitPid === 'number' ? value.gitPid : null,
      started: typeof value.started === 'string' ? value.started : '',
    };
  } catch {
    return null;
  }
}

export async function writeMarker(gitDir: string, marker: SyncMarker): Promise<void> {
  await writeFileAtomic(path.join(gitDir, SYNC_MARKER), `${JSON.stringify(marker)}\n`);
}

export async function removeMarker(gitDir: string): Promise<void> {
  await rm(path.join(gitDir, SYNC_OUTPUT), { force: true });
  await rm(path.join(gitDir, SYNC_MARKER), { force: true });
}

/**
 * Whether the git a sync started still runs: a process of this host with that id, named git. A
 * zombie does not count: it has exited and waits for a parent to reap it, which never comes when
 * its tmc-orch was killed and the system's first process does not reap orphans (some containers).
 * The name guards against the id having been reused since. Without /proc, only the id is checked.
 */
export async function gitRuns(pid: number | null): Promise<boolean> {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = await readTextOrNull(`/proc/${pid}/stat`).catch(() => null);
  if (stat === null) return true;
  // "<pid> (<name>) <state> ...": the name may hold spaces and parentheses.
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X' && name === 'git';
}
