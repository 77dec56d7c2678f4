import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from '../util/fs.js';

/** A multi-step git operation that stopped half-way in a worktree and waits for the user. */
export type OperationKind = 'rebase' | 'merge' | 'cherry-pick' | 'revert' | 'bisect';

/**
 * The git dir of a worktree: `<path>/.git` itself for the main worktree, or the folder its
 * `.git` file points to for a linked one. Read from disk, no process; null when unreadable.
 */
export async function worktreeGitDir(worktreePath: string): Promise<string | null> {
  const dotGit = path.join(worktreePath, '.git');
  try {
    const info = await stat(dotGit);
    if (info.isDirectory()) return dotGit;
    const text = await readFile(dotGit, 'utf8');
    const match = /^gitdir: (.+)$/m.exec(text);
    if (!match?.[1]) return null;
    return path.resolve(worktreePath, match[1].trim());
  } catch {
    return null;
  }
}

/**
 * The operation in progress in a worktree, from the marker files git leaves in its git dir
 * (the same ones `git status` and the shell prompt read). No process is started.
 */
export async function operationInProgress(gitDir: string): Promise<OperationKind | null> {
  const markers: [string, OperationKind][] = [
    ['rebase-merge', 'rebase'],
    ['rebase-apply', 'rebase'],
    ['MERGE_HEAD', 'merge'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert'],
    ['BISECT_LOG', 'bisect'],
  ];
  const found = await Promise.all(markers.map(([file]) => pathExists(path.join(gitDir, file))));
  const index = found.indexOf(true);
  return index === -1 ? null : (markers[index]?.[1] ?? null);
}

/** What to run to finish or undo an operation, for messages. */
export function operationHint(kind: OperationKind, worktreePath: string): string {
  const git = `git -C ${worktreePath}`;
  switch (kind) {
    case 'rebase':
      return `resolve any conflicts and run ${git} rebase --continue, or undo it with ${git} rebase --abort`;
    case 'merge':
      return `resolve any conflicts and run ${git} commit, or undo it with ${git} merge --abort`;
    case 'cherry-pick':
      return `resolve and run ${git} cherry-pick --continue, or undo it with ${git} cherry-pick --abort`;
    case 'revert':
      return `resolve and run ${git} revert --continue, or undo it with ${git} revert --abort`;
    case 'bisect':
      return `finish it with ${git} bisect reset`;
  }
}

/** Whether this worktree's HEAD ever pointed at a commit (its HEAD reflog has an entry). */
export async function headHasHistory(gitDir: string): Promise<boolean> {
  try {
    return (await stat(path.join(gitDir, 'logs', 'HEAD'))).size > 0;
  } catch {
    return false;
  }
}

/**
 * The branch a worktree has checked out, from its HEAD file (no process), or null when HEAD is
 * detached (as during a rebase) or unreadable.
 */
export async function headBranch(gitDir: string): Promise<string | null> {
  try {
    const text = await readFile(path.join(gitDir, 'HEAD'), 'utf8');
    const match = /^ref: refs\/heads\/(.+)$/m.exec(text);
    return match?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}
