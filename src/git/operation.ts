import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readTextOrNull } from '../util/fs.js';
import { isObjectId } from './object-id.js';

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
    // Anything but a file (a FIFO would block the read) is no .git file; git says the same.
    if (!info.isFile()) return null;
    const text = await readFile(dotGit, 'utf8');
    const match = /^gitdir: (.+)$/m.exec(text);
    if (!match?.[1]) return null;
    const gitDir = path.resolve(worktreePath, match[1].trim());
    // A .git file pointing nowhere (a worktree moved by hand, a copied folder) has no git dir.
    return (await stat(gitDir)).isDirectory() ? gitDir : null;
  } catch {
    return null;
  }
}

/** The files git leaves in a git dir while an operation waits, in the order they are asked. */
const OPERATION_MARKERS: readonly (readonly [string, OperationKind])[] = [
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase'],
  ['MERGE_HEAD', 'merge'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
  ['BISECT_LOG', 'bisect'],
];

/**
 * The operation in progress in a worktree, from the marker files git leaves in its git dir
 * (the same ones `git status` and the shell prompt read). No process is started, and one
 * listing of the folder, not a look-up per marker: status asks for every worktree, and six
 * failed look-ups each (an error object apiece) were 20 ms at 40 worktrees.
 */
export async function operationInProgress(gitDir: string): Promise<OperationKind | null> {
  let names: Set<string>;
  try {
    names = new Set(await readdir(gitDir));
  } catch {
    return null;
  }
  return OPERATION_MARKERS.find(([file]) => names.has(file))?.[1] ?? null;
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

/** What git records of a rebase in progress (in `rebase-merge/` or `rebase-apply/`). */
export interface RebaseState {
  /** The branch being rebased (`refs/heads/…`), or null for a detached HEAD. */
  headName: string | null;
  /** Where the branch was when the rebase started: what `rebase --abort` returns to. */
  origHead: string;
  onto: string;
  /** The commits the rebase made so far (from rewritten-list), to tell them from others. */
  rewritten: string[];
}

/** The rebase in progress in a worktree, from its state files; null when there is none. */
export async function readRebaseState(gitDir: string): Promise<RebaseState | null> {
  for (const dir of ['rebase-merge', 'rebase-apply']) {
    const read = (file: string) => readTextOrNull(path.join(gitDir, dir, file));
    const [headName, origHead, onto, rewritten] = await Promise.all([
      read('head-name'),
      read('orig-head'),
      read('onto'),
      read('rewritten-list'),
    ]);
    if (origHead === null || onto === null) continue;
    const name = headName?.trim() ?? '';
    return {
      headName: name.startsWith('refs/') ? name : null,
      origHead: origHead.trim(),
      onto: onto.trim(),
      rewritten: (rewritten ?? '')
        .split('\n')
        .map((line) => line.split(' ')[1] ?? '')
        .filter(isObjectId),
    };
  }
  return null;
}

/**
 * The commit a stopped operation names in its git dir: MERGE_HEAD (what a merge merges; its
 * first line) or REBASE_HEAD (the commit a rebase stopped at); null when absent.
 */
export async function readOperationHead(
  gitDir: string,
  name: 'MERGE_HEAD' | 'REBASE_HEAD',
): Promise<string | null> {
  const text = await readTextOrNull(path.join(gitDir, name));
  const first = text?.split('\n')[0]?.trim() ?? '';
  return isObjectId(first) ? first : null;
}
