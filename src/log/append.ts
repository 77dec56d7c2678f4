import { mkdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { openLogFile } from './file.js';
import {
  formatLogLine,
  logFile,
  MAX_LINE_BYTES,
  parseLogLine,
  type LogEntry,
  type LogInput,
  type SharedDir,
} from './format.js';

/**
 * Appending to the shared daily status log (format.ts). An entry is written with ONE write(2)
 * of one whole line on a file opened with O_APPEND. The kernel moves to the end and writes under the inode lock, so on a local filesystem concurrent
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
  repo: SharedDir,
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
