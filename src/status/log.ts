import { mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Repo } from '../repo.js';
import { CUT_MARKER, openLogFile, readLogLines } from './log-file.js';

export { CUT_MARKER, LogFileError } from './log-file.js';

/**
 * The shared daily status log: `<sharedDir>/daily-status.log`, one line per entry, readable with
 * `cat`, shared with the lines teams already write there by hand (`Agent 3: Working on … in
 * 02-apiexport-split`).
 *
 * An entry is written with ONE write(2) of one whole line on a file opened with O_APPEND. The
 * kernel moves to the end and writes under the inode lock, so on a local filesystem concurrent
 * writers never lose or interleave lines, and a killed writer leaves either the whole line or
 * nothing. Lines are at most MAX_LINE_BYTES so the write stays one small block. When the file does
 * not end with a newline (a line written by hand without one, or torn by a full disk), the same
 * single write starts with one, so the entry still starts its own line; two writers that both see
 * the missing newline leave one empty line, which readers skip. A reader can see another
 * writer's line half-copied into the file: a last line that starts like an entry is waited for. Text appended without a newline
 * by another program between that check and the write can still precede an entry on its line;
 * readers split such a line into the text and the entry.
 *
 * Entries tmc-orch writes itself (claims, syncs) carry TOOL_MARK before the message, so readers
 * tell them from what agents write; an agent's message that starts like the mark is escaped.
 */

export const LOG_FILE = 'daily-status.log';
export const MAX_LINE_BYTES = 4096;
/** Marks an entry tmc-orch wrote itself (claim bookkeeping, syncs), not an agent's message. */
export const TOOL_MARK = '(tmc-orch) ';
/** Status reads only this much of the end of the log: its newest entries. */
export const TAIL_BYTES = 1024 * 1024;
/** A line read longer than this (garbage without newlines) is cut. */
const MAX_READ_LINE_BYTES = 64 * 1024;

/** Who wrote an entry: an agent (tmc-orch log, or a line by hand), or tmc-orch itself. */
export type LogSource = 'agent' | 'tmc-orch';

export interface LogInput {
  agent: string;
  /** The worktree the entry is about, or null for the repository as a whole. */
  worktree: string | null;
  message: string;
  source: LogSource;
}

export interface LogEntry {
  /** UTC ISO-8601; null for a line without a timestamp (written by hand). */
  time: string | null;
  agent: string | null;
  worktree: string | null;
  message: string;
  /** "entry": written by tmc-orch; "text": any other line (by hand, torn, garbage). */
  kind: 'entry' | 'text';
  /** "tmc-orch" for its own bookkeeping (claims, syncs); "agent" for everything else. */
  source: LogSource;
  /** 1-based line number in the file; null when only the end of the file was read. */
  line: number | null;
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
    return escapeCode(code);
  }
  return ch;
}

function escapeCode(code: number): string {
  return code > 0xff
    ? `\\u${code.toString(16).padStart(4, '0')}`
    : `\\x${code.toString(16).padStart(2, '0')}`;
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
  const where = input.worktree === null ? '-' : token(input.worktree);
  const mark = input.source === 'tmc-orch' ? TOOL_MARK : '';
  const head = `${time.toISOString()} ${token(input.agent)} [${where}] ${mark}`;
  const escaped = Array.from(input.message.trim(), escapeChar);
  // An agent's message must not read as tmc-orch's own: escape the mark's first character.
  if (input.source === 'agent' && input.message.trim().startsWith(TOOL_MARK.trim())) {
    escaped[0] = escapeCode(TOOL_MARK.codePointAt(0) ?? 0);
  }
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

/** How long a writer waits for another writer's entry seen half-copied into the file. */
const IN_PROGRESS_WAIT_MS = 200;
const ENTRY_START = '0000-00-00T';

/** Whether `partial` is, as far as it goes, the start of an entry's timestamp. */
function looksLikeEntryStart(partial: string): boolean {
  // A write can be seen cut anywhere, even inside the timestamp.
  return Array.from(ENTRY_START.slice(0, partial.length)).every((c, i) =>
    c === '0' ? /\d/.test(partial[i] ?? '') : partial[i] === c,
  );
}

/**
 * Whether the log ends in the middle of a line, so an entry must start with a newline. Reading
 * does not wait for writes: a reader can see another writer's entry half-copied into the file. A
 * last line that starts like an entry is given `waitMs` to end; if it does not, it was torn (a
 * full disk, a killed writer). Any other unfinished line was written by another program.
 */
async function endsMidLine(handle: FileHandle, waitMs: number): Promise<boolean> {
  const started = Date.now();
  const tail = Buffer.alloc(MAX_LINE_BYTES + 1);
  for (;;) {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const length = Math.min(size, tail.length);
    await handle.read(tail, 0, length, size - length);
    if (tail[length - 1] === 0x0a) return false;
    const partial = tail.subarray(tail.lastIndexOf(0x0a, length - 1) + 1, length);
    if (!looksLikeEntryStart(partial.toString('latin1'))) return true;
    if (Date.now() - started >= waitMs) return true;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Appends one entry with a single append-mode write, preceded in that same write by a newline
 * when the file does not end with one. Returns the entry as it was stored.
 */
export async function appendLog(
  repo: Pick<Repo, 'sharedDir'>,
  input: LogInput,
  now: Date = new Date(),
  options: { inProgressWaitMs?: number } = {},
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
  await mkdir(path.dirname(file), { recursive: true });
  const opened = await openLogFile(file, 'append');
  if (!opened) throw new Error(`could not open ${file}`);
  const { handle } = opened;
  try {
    const wait = options.inProgressWaitMs ?? IN_PROGRESS_WAIT_MS;
    const prefix = (await endsMidLine(handle, wait)) ? '\n' : '';
    const bytes = Buffer.from(prefix + line, 'utf8');
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length);
    if (bytesWritten !== bytes.length) {
      // End the torn line now, so the next entry does not depend on its writer's check.
      await handle.write('\n').catch(() => undefined);
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

function entryFrom(match: RegExpExecArray, rest: string, line: number | null): LogEntry {
  const time = new Date(match[1] ?? '');
  const worktree = match[3] ?? '-';
  const tool = rest.startsWith(TOOL_MARK);
  return {
    time: Number.isNaN(time.getTime()) ? null : time.toISOString(),
    agent: match[2] ?? null,
    worktree: worktree === '-' ? null : worktree,
    message: unescapeMessage(tool ? rest.slice(TOOL_MARK.length) : rest),
    kind: 'entry',
    source: tool ? 'tmc-orch' : 'agent',
    line,
  };
}

function textFrom(text: string, line: number | null): LogEntry {
  const hand = HAND.exec(text);
  if (hand) {
    const message = hand[2] ?? '';
    return {
      time: null,
      agent: hand[1] ?? null,
      worktree: HAND_WORKTREE.exec(message)?.[1] ?? null,
      message,
      kind: 'text',
      source: 'agent',
      line,
    };
  }
  const source = 'agent';
  return { time: null, agent: null, worktree: null, message: text, kind: 'text', source, line };
}

/**
 * Parses one line; never throws. A line that does not start with an entry but holds one (text
 * appended by hand without a final newline, then an entry) yields both parts.
 */
export function parseLogLine(text: string, line: number | null): LogEntry[] {
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
  /** Entries at or after this time (ms); default: no lower bound. */
  from?: number;
  /** Entries before this time (ms); default: no upper bound. */
  to?: number;
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
export async function readLog(
  repo: Pick<Repo, 'sharedDir'>,
  filters: LogFilters = {},
): Promise<LogEntry[]> {
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
export async function readLogTail(
  repo: Pick<Repo, 'sharedDir'>,
  tailBytes = TAIL_BYTES,
): Promise<LogEntry[]> {
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
