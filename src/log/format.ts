import path from 'node:path';
import { CUT_MARKER } from './file.js';

/**
 * The format of the shared daily status log: `<sharedDir>/daily-status.log`, one line per entry,
 * readable with `cat`, shared with the lines teams already write there by hand (`Agent 3: Working
 * on … in 02-apiexport-split`). How an entry is written (append.ts) and read (read.ts) builds on
 * this. A leaf: the log imports nothing of the domain.
 */

/** Where the log lives: the repository's shared folder (a Repo, or just the folder). */
export interface SharedDir {
  sharedDir: string;
}

export const LOG_FILE = 'daily-status.log';
export const MAX_LINE_BYTES = 4096;
/** Marks an entry tmc-orch wrote itself (claim bookkeeping, syncs), not an agent's message. */
const TOOL_MARK = '(tmc-orch) ';

/** Who wrote an entry: an agent (tmc-orch log, or a line by hand), or tmc-orch itself. */
type LogSource = 'agent' | 'tmc-orch';

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

export function logFile(repo: SharedDir): string {
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

function unescapeMessage(stored: string): string {
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
