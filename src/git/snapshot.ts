import { createHash } from 'node:crypto';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { headCommit } from './paths.js';
import { runGit, splitNul } from './run.js';

/**
 * A worktree's snapshot, byte for byte, for sync to compare before it lets git write and after.
 * Not in the git/index.js barrel: it hashes files with node:crypto, which every command importing
 * the barrel (lines and the pre-push hook among them) would then pay ~4 ms to load.
 */

/**
 * Everything that must be unchanged after an aborted sync: HEAD, the porcelain status, the index
 * entries (mode, blob, stage, path) and the bytes and mode of every tracked or untracked file.
 */
export interface WorktreeSnapshot {
  head: string | null;
  status: string;
  index: string;
  files: Map<string, string>;
}

/**
 * With `touched` (the paths that differ between HEAD and the commit being brought in: the only
 * tracked paths a checkout, rebase, merge or abort writes), only those and the untracked files
 * are hashed, whether ignored or not; without it, every tracked and untracked file is.
 */
export async function snapshotWorktree(
  cwd: string,
  touched?: readonly string[],
): Promise<WorktreeSnapshot> {
  const listArgs = touched
    ? ['ls-files', '-z', '--others', '--exclude-standard']
    : ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];
  const [head, status, index, listed] = await Promise.all([
    headCommit(cwd),
    runGit(['status', '--porcelain=v2', '-z', '--untracked-files=all'], { cwd }),
    runGit(['ls-files', '-z', '--stage'], { cwd }),
    runGit(listArgs, { cwd }),
  ]);
  const files = new Map<string, string>();
  for (const file of new Set([...splitNul(listed.stdout), ...(touched ?? [])])) {
    files.set(file, await fileFingerprint(path.join(cwd, file)));
  }
  return { head, status: status.stdout, index: index.stdout, files };
}

async function fileFingerprint(file: string): Promise<string> {
  try {
    const info = await lstat(file);
    const hash = createHash('sha256');
    if (info.isSymbolicLink()) hash.update(`link:${await readlink(file)}`);
    else if (info.isFile()) hash.update(await readFile(file));
    else return `other:${info.mode.toString(8)}`;
    return `${(info.mode & 0o111) !== 0 ? 'x' : '-'}:${hash.digest('hex')}`;
  } catch {
    return 'missing';
  }
}
