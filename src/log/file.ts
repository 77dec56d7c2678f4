import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors.js';

/**
 * Opening the shared status log safely. Anyone can put anything at the log's path: a directory, a
 * FIFO (whose open and read block forever), a symbolic link to a file elsewhere, a device. The log
 * is opened with O_NOFOLLOW (a symlink is refused, never followed) and O_NONBLOCK (a FIFO never
 * blocks the open or a read), and the opened descriptor must be a regular file (fstat), so what
 * was checked is what is read or written. Readers read at most a bounded number of bytes.
 */

/** The log at its path is not a regular file: refused, with what to do. Exit 2, nothing changed. */
export class LogFileError extends UsageError {}

const OPEN_FLAGS = {
  // Read the last byte and append in one descriptor: O_RDWR, not O_WRONLY.
  append:
    constants.O_RDWR |
    constants.O_APPEND |
    constants.O_CREAT |
    constants.O_NOFOLLOW |
    constants.O_NONBLOCK,
  read: constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
} as const;

/** What a non-regular file at the log's path is, in words. */
function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

async function refusal(file: string, kind: string): Promise<LogFileError> {
  let target = '';
  if (kind === 'a symbolic link') {
    target = await readlink(file).then(
      (t) => ` to ${t}`,
      () => '',
    );
  }
  return new LogFileError(
    `the status log ${file} is ${kind}${target}, not a regular file; tmc-orch reads and writes only a regular file there: move it away (mv -- ${file} ${file}.bad) and retry`,
  );
}

/**
 * Opens the log for appending (creating it) or reading. Returns null when reading a log that does
 * not exist yet; throws LogFileError when the path is anything but a regular file.
 */
export async function openLogFile(
  file: string,
  mode: 'append' | 'read',
): Promise<{ handle: FileHandle; size: number; mtimeMs: number } | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS[mode], 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && mode === 'read') return null;
    // ELOOP: a symlink (O_NOFOLLOW); EISDIR: a directory opened for writing; ENXIO: a FIFO
    // without a reader opened for writing (O_NONBLOCK). lstat names what is there.
    if (code === 'ELOOP' || code === 'EISDIR' || code === 'ENXIO') {
      const stats = await lstat(file).catch(() => null);
      throw await refusal(file, stats ? describeKind(stats) : 'not a regular file');
    }
    throw error;
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw await refusal(file, describeKind(stats));
  }
  return { handle, size: stats.size, mtimeMs: stats.mtimeMs };
}

const CHUNK = 64 * 1024;
/** Ends a line that was cut: an entry too long to write, a line too long to read. */
export const CUT_MARKER = ' …[cut]';

/**
 * The lines of the log, in order, read in chunks: all of them, or (with `tailBytes`) only the
 * whole lines within the last `tailBytes` bytes. A line longer than `maxLineBytes` is cut there
 * (the rest of it is skipped), so garbage without newlines cannot fill memory.
 */
export async function* readLogLines(
  handle: FileHandle,
  size: number,
  options: { tailBytes?: number; maxLineBytes: number },
): AsyncGenerator<string> {
  const start = options.tailBytes === undefined ? 0 : Math.max(0, size - options.tailBytes);
  // Mid-file, the first bytes belong to a line that began before the tail (unless the byte before
  // them ends a line): skip to its end.
  let skipping = false;
  if (start > 0) {
    const before = Buffer.alloc(1);
    await handle.read(before, 0, 1, start - 1);
    skipping = before[0] !== 0x0a;
  }
  let position = start;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let cut = false;
  const buffer = Buffer.alloc(CHUNK);
  const take = (piece: Buffer) => {
    const room = options.maxLineBytes - pendingBytes;
    if (piece.length > room) cut = true;
    const kept = piece.length > room ? piece.subarray(0, room) : piece;
    if (kept.length > 0) {
      // Copy: the read buffer is reused for the next chunk.
      pending.push(Buffer.from(kept));
      pendingBytes += kept.length;
    }
  };
  const flush = () => {
    const text = Buffer.concat(pending).toString('utf8');
    // A cut may split a character: drop the broken end and say the line was cut.
    const line = cut ? `${text.replace(/\uFFFD$/, '')}${CUT_MARKER}` : text;
    pending = [];
    pendingBytes = 0;
    cut = false;
    return line;
  };
  // Read only what the file held when it was opened: appends meanwhile are the next run's.
  while (position < size) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, size - position), position);
    if (bytesRead === 0) break;
    position += bytesRead;
    let from = 0;
    for (;;) {
      const newline = buffer.indexOf(0x0a, from);
      if (newline === -1 || newline >= bytesRead) break;
      if (skipping) skipping = false;
      else {
        take(buffer.subarray(from, newline));
        yield flush();
      }
      from = newline + 1;
    }
    if (!skipping && from < bytesRead) take(buffer.subarray(from, bytesRead));
  }
  if (pendingBytes > 0) yield flush();
}
