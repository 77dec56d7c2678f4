import { constants } from 'node:fs';
import {
  copyFile,
  lstat,
  mkdir,
  readFile,
  readlink,
  realpath,
  stat,
  symlink,
} from 'node:fs/promises';
import path from 'node:path';
import { ignoredAmong, ignoredPaths, untrackedMatching } from '../git/index.js';
import { UsageError } from '../errors.js';
import { NotRegularFileError, readRegularTextOrNull } from '../util/fs.js';
import { isInside } from '../util/path.js';
import { disposableMatcher } from './disposable.js';

/**
 * Setup on create: the untracked files a new worktree needs (`.env`, local settings), copied
 * from the main worktree. Which: the files that `.worktreeinclude` at the root of the main
 * worktree matches (gitignore syntax, read by git itself: the convention other worktree tools
 * share) or config `worktrees.copy` globs match, and only files that are ignored in the source:
 * tracked files come with the checkout, and an untracked file that is not ignored would show as
 * new work in the copy. Nothing in the new worktree is ever overwritten.
 */

const INCLUDE_FILE = '.worktreeinclude';

export interface CopyResult {
  /** Paths relative to the worktree root, copied. */
  copied: string[];
  /** Paths not copied, and why (already there, would leave the worktree). */
  skipped: { path: string; reason: string }[];
}

/**
 * The text of `.worktreeinclude` in `source`, or null without one; read before the worktree is
 * made, so that a file that cannot be read is bad input with nothing created. Anything but a
 * regular file is refused: git would wait forever on a FIFO, and fail on a folder.
 */
export async function readIncludeFile(source: string): Promise<string | null> {
  const file = path.join(source, INCLUDE_FILE);
  try {
    return await readRegularTextOrNull(file);
  } catch (error) {
    const why =
      error instanceof NotRegularFileError
        ? `it is ${error.kind}, not a regular file`
        : (error as Error).message;
    throw new UsageError(
      `cannot read ${file}: ${why}; move it away (mv -- ${file} ${file}.bad), or pass --no-copy`,
    );
  }
}

/** The ignored files of `source` to copy (`include`: readIncludeFile's text), sorted. */
export async function filesToCopy(
  source: string,
  include: string | null,
  copyGlobs: readonly string[],
): Promise<string[]> {
  const chosen = new Set<string>();
  if (include !== null) {
    const matching = await untrackedMatching(source, include);
    for (const file of await ignoredAmong(source, matching)) chosen.add(file);
  }
  if (copyGlobs.length > 0) {
    const matches = disposableMatcher(copyGlobs);
    for (const file of await ignoredPaths(source, { folders: false })) {
      if (matches(file)) chosen.add(file);
    }
  }
  return [...chosen].sort();
}

/**
 * Makes the folder `dir` (relative) of `target` one level at a time, each checked before the next
 * is made: a symlink the new branch tracks (to a folder elsewhere) must not carry a copy, nor a
 * created folder, out of the worktree, and a file where the source has a folder is no folder.
 * Null when the folder is ready, else why the file is skipped.
 */
async function folderProblem(root: string, target: string, dir: string): Promise<string | null> {
  let current = target;
  for (const part of dir.split('/')) {
    if (part === '.' || part === '') continue;
    current = path.join(current, part);
    try {
      await mkdir(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') return 'its folder is not a folder in the worktree';
      if (code !== 'EEXIST') throw error;
    }
    let real: string;
    try {
      real = await realpath(current);
    } catch {
      // A symlink to nothing.
      return 'its folder leads out of the worktree';
    }
    if (real !== root && !isInside(real, root)) return 'its folder leads out of the worktree';
    if (!(await stat(real)).isDirectory()) return 'its folder is not a folder in the worktree';
  }
  return null;
}

/** Copies `files` from `source` to `target`; a file already in the target is left alone. */
export async function copyInto(
  source: string,
  target: string,
  files: readonly string[],
): Promise<CopyResult> {
  const result: CopyResult = { copied: [], skipped: [] };
  const root = await realpath(target);
  for (const file of files) {
    const from = path.join(source, file);
    const to = path.join(target, file);
    const problem = await folderProblem(root, target, path.dirname(file));
    if (problem !== null) {
      result.skipped.push({ path: file, reason: problem });
      continue;
    }
    try {
      const info = await lstat(from);
      if (info.isSymbolicLink()) await symlink(await readlink(from), to);
      else if (info.isFile()) await copyFile(from, to, constants.COPYFILE_EXCL);
      else {
        result.skipped.push({ path: file, reason: 'not a file' });
        continue;
      }
      result.copied.push(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') result.skipped.push({ path: file, reason: 'already there' });
      else if (code === 'ENOENT') result.skipped.push({ path: file, reason: 'gone meanwhile' });
      else throw error;
    }
  }
  return result;
}

/**
 * Whether `file` (relative) is, in `target`, a regular file with the same bytes as in `source`:
 * a copy setup made, or one that could be made again. Symlinks and anything unreadable: no.
 */
export async function isUnchangedCopy(
  source: string,
  target: string,
  file: string,
): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([
      lstat(path.join(source, file)),
      lstat(path.join(target, file)),
    ]);
    if (!a.isFile() || !b.isFile() || a.size !== b.size) return false;
    const [x, y] = await Promise.all([
      readFile(path.join(source, file)),
      readFile(path.join(target, file)),
    ]);
    return x.equals(y);
  } catch {
    return false;
  }
}
