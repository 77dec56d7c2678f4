import { openLogFile, readLogLines } from './file.js';
import { logFile, parseLogLine, type LogEntry, type SharedDir } from './format.js';

/** Reading the shared daily status log (format.ts): selected entries in time order. */

/** Status reads only this much of the end of the log: its newest entries. */
const TAIL_BYTES = 1024 * 1024;
/** A line read longer than this (garbage without newlines) is cut. */
const MAX_READ_LINE_BYTES = 64 * 1024;

/** A time range [from, to) in ms; either end may be infinite. */
export interface TimeWindow {
  /** Entries at or after this time. */
  from: number;
  /** Entries before this time. */
  to: number;
}

/** Which entries to read; a missing end of the window is open. */
export interface LogFilters extends Partial<TimeWindow> {
  agent?: string;
  worktree?: string;
}

/** "Agent 3" and "agent-3" are the same agent. */
export function normalizeAgent(agent: string): string {
  return agent
    .toLowerCase()
    .replace(/[^a-z0-9@.+]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The entries the filters select, in time order (stable: equal times keep the file order). A
 * line without a timestamp takes the latest time of the entries above it (else the first one
 * below it, else the file's modification time), so hand-written lines stay where they were
 * written. The file is read in chunks; only the selected entries are kept.
 */
export async function readLog(repo: SharedDir, filters: LogFilters = {}): Promise<LogEntry[]> {
  const range = { from: filters.from ?? -Infinity, to: filters.to ?? Infinity };
  const agent = filters.agent === undefined ? undefined : normalizeAgent(filters.agent);
  const selected = (entry: LogEntry, at: number) =>
    at >= range.from &&
    at < range.to &&
    (agent === undefined || (entry.agent !== null && normalizeAgent(entry.agent) === agent)) &&
    (filters.worktree === undefined || entry.worktree === filters.worktree);
  return readEntries(logFile(repo), {}, selected);
}

/**
 * The entries in the last TAIL_BYTES of the log, in time order, without line numbers: what the
 * dashboard needs (the newest entries), at a bounded cost however large the log has grown.
 */
export async function readLogTail(repo: SharedDir, tailBytes = TAIL_BYTES): Promise<LogEntry[]> {
  return readEntries(logFile(repo), { tailBytes }, () => true);
}

async function readEntries(
  file: string,
  options: { tailBytes?: number },
  selected: (entry: LogEntry, at: number) => boolean,
): Promise<LogEntry[]> {
  const opened = await openLogFile(file, 'read');
  if (!opened) return [];
  const kept: { entry: LogEntry; at: number; i: number }[] = [];
  const times = new EffectiveTimes();
  let i = 0;
  const keep = (entry: LogEntry, at: number) => {
    if (selected(entry, at)) kept.push({ entry, at, i: i++ });
  };
  try {
    let number = 0;
    const lines = readLogLines(opened.handle, opened.size, {
      ...options,
      maxLineBytes: MAX_READ_LINE_BYTES,
    });
    for await (const text of lines) {
      number++;
      const line = options.tailBytes === undefined ? number : null;
      for (const entry of parseLogLine(text, line)) times.add(entry, keep);
    }
  } finally {
    await opened.handle.close();
  }
  times.end(opened.mtimeMs, keep);
  return kept.sort((a, b) => a.at - b.at || a.i - b.i).map(({ entry }) => entry);
}

/**
 * The time an entry sorts by, entry by entry in file order. Entries are appended, so a line
 * without a timestamp was written after every entry above it: it takes their latest time; lines
 * above the first timestamp wait for it.
 */
class EffectiveTimes {
  private latest: number | null = null;
  private waiting: LogEntry[] = [];

  add(entry: LogEntry, done: (entry: LogEntry, at: number) => void): void {
    const time = entry.time === null ? null : Date.parse(entry.time);
    if (time === null) {
      if (this.latest === null) this.waiting.push(entry);
      else done(entry, this.latest);
      return;
    }
    if (this.latest === null) for (const w of this.waiting.splice(0)) done(w, time);
    this.latest = Math.max(this.latest ?? time, time);
    done(entry, time);
  }

  /** Lines with no timestamp anywhere take the file's modification time. */
  end(fallback: number, done: (entry: LogEntry, at: number) => void): void {
    for (const w of this.waiting.splice(0)) done(w, fallback);
  }
}
