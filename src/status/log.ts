import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Repo } from '../repo.js';
import { parseDuration } from '../util/duration.js';

/**
 * The shared daily status log: `<sharedDir>/daily-status.log`, one line per entry, readable with
 * `cat`, shared with the lines teams already write there by hand (`Agent 3: Working on … in
 * 02-apiexport-split`).
 *
 * An entry is written with ONE write(2) of one whole line on a file opened with O_APPEND. The
 * kernel moves to the end and writes under the inode lock, so on a local filesystem concurrent
 * writers never lose or interleave lines, and a killed writer leaves either the whole line or
 * nothing. Lines are at most MAX_LINE_BYTES so the write stays one small block.
 */

export const LOG_FILE = 'daily-status.log';
export const MAX_LINE_BYTES = 4096;
export const CUT_MARKER = ' …[cut]';

export interface LogInput {
  agent: string;
  /** The worktree the entry is about, or null for the repository as a whole. */
  worktree: string | null;
  message: string;
}

export interface LogEntry {
  /** UTC ISO-8601; null for a line without a timestamp (written by hand). */
  time: string | null;
  agent: string | null;
  worktree: string | null;
  message: string;
  /** "entry": written by tmc-orch; "text": any other line (by hand, torn, garbage). */
  kind: 'entry' | 'text';
  /** 1-based line number in the file. */
  line: number;
}

export function logFile(repo: Pick<Repo, 'sharedDir'>): string {
  return path.join(repo.sharedDir, LOG_FILE);
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One code point of a message as it is stored: control characters become escapes. */
function escapeChar(ch: string): string {
  const known = ESCAPES[ch];
  if (known) return known;
  const code = ch.codePointAt(0) ?? 0;
  // C0, DEL, C1 and the Unicode line/paragraph separators would break or hide a line.
  if (
    code < 0x20 ||
    code === 0x7f ||
    (code >= 0x80 && code < 0xa0) ||
    code === 0x2028 ||
    code === 0x2029
  ) {
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return ch;
}

export function escapeMessage(message: string): string {
  return Array.from(message, escapeChar).join('');
}

export function unescapeMessage(stored: string): string {
  return stored.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_, e: string) => {
    if (e === '\\') return '\\';
    if (e === 'n') return '\n';
    if (e === 'r') return '\r';
    if (e === 't') return '\t';
    return String.fromCodePoint(parseInt(e.slice(1), 16));
  });
}

/** The agent and worktree as one word each, so the line stays parseable. */
function token(text: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\s[\]\\]+/g, '-').replace(/[\u0000-\u001f\u007f]/g, '');
  return cleaned === '' ? '-' : cleaned.slice(0, 64);
}

/**
 * The stored line for an entry, newline included, at most MAX_LINE_BYTES bytes: a longer message
 * is cut at a code point (never inside an escape) and ends with CUT_MARKER.
 */
export function formatLogLine(input: LogInput, time: Date): string {
  const head = `${time.toISOString()} ${token(input.agent)} [${input.worktree === null ? '-' : token(input.worktree)}] `;
  const escaped = Array.from(input.message.trim(), escapeChar);
  const full = `${head}${escaped.join('')}\n`;
  if (Buffer.byteLength(full) <= MAX_LINE_BYTES) return full;
  const budget = MAX_LINE_BYTES - Buffer.byteLength(head) - Buffer.byteLength(CUT_MARKER) - 1;
  let used = 0;
  let kept = '';
  for (const piece of escaped) {
    const size = Buffer.byteLength(piece);
    if (used + size > budget) break;
    used += size;
    kept += piece;
  }
  return `${head}${kept}${CUT_MARKER}\n`;
}

/** Appends one entry with a single append-mode write. Returns the entry as it was stored. */
export async function appendLog(
  repo: Pick<Repo, 'sharedDir'>,
  input: LogInput,
  now: Date = new Date(),
): Promise<LogEntry & { file: string }> {
  if (input.message.trim() === '') {
    throw new UsageError(
      'the log message is empty; write what you are doing, e.g. tmc-orch log "working on the controller"',
    );
  }
  if (input.agent.trim() === '') {
    throw new UsageError('the agent id is empty; pass --agent <id> or set TMC_AGENT');
  }
  const file = logFile(repo);
  const line = formatLogLine(input, now);
  const bytes = Buffer.from(line, 'utf8');
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'a', 0o666);
  try {
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
    if (bytesWritten !== bytes.length) {
      throw new Error(
        `short write to ${file} (${bytesWritten} of ${bytes.length} bytes); is the disk full?`,
      );
    }
  } finally {
    await handle.close();
  }
  const parsed = parseLogLine(line.slice(0, -1), 0)[0];
  return { ...(parsed as LogEntry), line: 0, file };
}

const ENTRY =
  /(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) ([^\s[\]\\]{1,64}) \[([^\s[\]\\]{1,64})\] ?/;
const ENTRY_AT_START = new RegExp(`^${ENTRY.source}`);
const HAND = /^([A-Za-z][A-Za-z0-9 ._@+-]{0,63}?)\s*:\s+(\S.*)$/;
const HAND_WORKTREE = /\bin\s+([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9_])\s*\.?\s*$/;

function entryFrom(match: RegExpExecArray, rest: string, line: number): LogEntry {
  const time = new Date(match[1] ?? '');
  const worktree = match[3] ?? '-';
  return {
    time: Number.isNaN(time.getTime()) ? null : time.toISOString(),
    agent: match[2] ?? null,
    worktree: worktree === '-' ? null : worktree,
    message: unescapeMessage(rest),
    kind: 'entry',
    line,
  };
}

function textFrom(text: string, line: number): LogEntry {
  const hand = HAND.exec(text);
  if (hand) {
    const message = hand[2] ?? '';
    return {
      time: null,
      agent: hand[1] ?? null,
      worktree: HAND_WORKTREE.exec(message)?.[1] ?? null,
      message,
      kind: 'text',
      line,
    };
  }
  return { time: null, agent: null, worktree: null, message: text, kind: 'text', line };
}

/**
 * Parses one line; never throws. A line that does not start with an entry but holds one (text
 * appended by hand without a final newline, then an entry) yields both parts.
 */
export function parseLogLine(text: string, line: number): LogEntry[] {
  const clean = text.replace(/\r$/, '');
  if (clean.trim() === '') return [];
  const atStart = ENTRY_AT_START.exec(clean);
  if (atStart) return [entryFrom(atStart, clean.slice(atStart[0].length), line)];
  const inside = ENTRY.exec(clean);
  if (inside && inside.index > 0) {
    const before = clean.slice(0, inside.index);
    const parts = before.trim() === '' ? [] : [textFrom(before.trim(), line)];
    parts.push(entryFrom(inside, clean.slice(inside.index + inside[0].length), line));
    return parts;
  }
  return [textFrom(clean.trim(), line)];
}

export function parseLog(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  text.split('\n').forEach((l, i) => entries.push(...parseLogLine(l, i + 1)));
  return entries;
}

export interface LogFilters {
  /** A UTC day, YYYY-MM-DD. */
  date?: string;
  /** YYYY-MM-DD, an ISO-8601 time, or a duration back from now (2h, 3d). */
  since?: string;
  all?: boolean;
  agent?: string;
  worktree?: string;
  /** "Today" for the default filter; tests pass a fixed time. */
  now?: Date;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(text: string, flag: string): Date {
  const match = DAY.exec(text);
  const date = new Date(`${text}T00:00:00.000Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a date; use YYYY-MM-DD, e.g. ${new Date().toISOString().slice(0, 10)}`,
    );
  }
  return date;
}

function parseSince(text: string): Date {
  if (DAY.test(text)) return parseDay(text, '--since');
  const duration = parseDuration(text);
  if (duration !== null) return new Date(Date.now() - duration);
  const time = new Date(text);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(time.getTime())) return time;
  throw new UsageError(
    `--since ${JSON.stringify(text)} is not a date, time or duration; use YYYY-MM-DD, an ISO-8601 time, or e.g. 2h`,
  );
}

/** The time range the filters select: [from, to) in ms, either end open. Validates the filters. */
export function filterRange(filters: LogFilters): { from: number; to: number } {
  const chosen = [filters.date !== undefined, filters.since !== undefined, Boolean(filters.all)];
  if (chosen.filter(Boolean).length > 1) {
    throw new UsageError('--date, --since and --all exclude each other; pass one of them');
  }
  if (filters.all) return { from: -Infinity, to: Infinity };
  if (filters.since !== undefined)
    return { from: parseSince(filters.since).getTime(), to: Infinity };
  const day =
    filters.date !== undefined
      ? parseDay(filters.date, '--date')
      : parseDay((filters.now ?? new Date()).toISOString().slice(0, 10), '--date');
  return { from: day.getTime(), to: day.getTime() + 86_400_000 };
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
 * written.
 */
export async function readLog(
  repo: Pick<Repo, 'sharedDir'>,
  filters: LogFilters = {},
): Promise<LogEntry[]> {
  const range = filterRange(filters);
  const file = logFile(repo);
  let text: string;
  let mtime: number;
  try {
    [text, mtime] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries = parseLog(text);
  const effective = effectiveTimes(entries, mtime);
  const agent = filters.agent === undefined ? undefined : normalizeAgent(filters.agent);
  return entries
    .map((entry, i) => ({ entry, at: effective[i] ?? mtime, i }))
    .filter(({ entry, at }) => {
      if (at < range.from || at >= range.to) return false;
      if (agent !== undefined && (entry.agent === null || normalizeAgent(entry.agent) !== agent))
        return false;
      if (filters.worktree !== undefined && entry.worktree !== filters.worktree) return false;
      return true;
    })
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ entry }) => entry);
}

function effectiveTimes(entries: readonly LogEntry[], fallback: number): number[] {
  const times = entries.map((e) => (e.time === null ? null : Date.parse(e.time)));
  const result: number[] = new Array<number>(entries.length);
  let previous: number | null = null;
  for (let i = 0; i < times.length; i++) {
    const time = times[i];
    // Entries are appended, so a hand line was written after every entry above it.
    if (time !== null && time !== undefined) previous = Math.max(previous ?? time, time);
    result[i] = time ?? previous ?? NaN;
  }
  let next: number | null = null;
  for (let i = times.length - 1; i >= 0; i--) {
    next = times[i] ?? next;
    if (Number.isNaN(result[i])) result[i] = next ?? fallback;
  }
  return result;
}
