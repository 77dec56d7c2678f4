import { RefusedError } from '../errors.js';
import {
  hiddenChanges,
  ignoredPaths,
  operationHint,
  operationInProgress,
  unheldCommitCount,
  worktreeGitDir,
  type OperationKind,
} from '../git/index.js';
import { type Repo } from '../repo.js';
import { worktrees, type WorktreeInfo } from './lookup.js';
import { disposableMatcher, keptIgnored, withoutCopies } from './disposable.js';
import { isUnchangedCopy } from './copy.js';
import { CONFIG_FILE } from '../config/schema.js';
import { shortId } from '../ui/format.js';

/**
 * Work `git status` does not show and `git worktree remove` deletes anyway: ignored files that
 * are not disposable, edits hidden by skip-worktree or assume-unchanged, commits only a detached
 * HEAD holds. worktree remove refuses each, naming the files; clean asks keptIgnoredFiles.
 */

const LISTED = 10;

/**
 * Refuses to remove ignored files that are work (`.env`, notes in an ignored folder): `git
 * worktree remove` deletes ignored files without a word, even without --force.
 */
export async function assertNoKeptIgnored(repo: Repo, wt: WorktreeInfo): Promise<void> {
  const kept = await keptIgnoredFiles(repo, wt);
  if (kept.length === 0) return;
  const more = kept.length > LISTED ? ` and ${kept.length - LISTED} more` : '';
  throw new RefusedError(
    `worktree ${wt.name} has ignored files that are not disposable: ${kept.slice(0, LISTED).join(', ')}${more}; move them out of the worktree, add their patterns to worktrees.disposable in ${CONFIG_FILE}, or pass --force to delete them`,
    { ignored: kept },
  );
}

/**
 * The ignored files of `wt` that are work: not matched by config `worktrees.disposable`, and not
 * an unchanged copy of the main worktree's file (setup on create copies `.env` and the like).
 * Limit: a copy whose source changes in the main worktree between this check and the removal
 * (milliseconds) goes with the worktree.
 */
export async function keptIgnoredFiles(repo: Repo, wt: WorktreeInfo): Promise<string[]> {
  const isDisposable = disposableMatcher(repo.config.worktrees.disposable);
  const filesIn = (folders: readonly string[]) =>
    ignoredPaths(wt.path, { folders: false, within: folders });
  const kept = await keptIgnored(
    await ignoredPaths(wt.path, { folders: true }),
    isDisposable,
    filesIn,
  );
  if (kept.length === 0 || wt.path === repo.mainRoot) return kept;
  return withoutCopies(kept, (file) => isUnchangedCopy(repo.mainRoot, wt.path, file), filesIn);
}

/** The operation stopped half-way in the worktree at `worktreePath`, or null. No process. */
export async function operationIn(worktreePath: string): Promise<OperationKind | null> {
  const gitDir = await worktreeGitDir(worktreePath);
  return gitDir ? operationInProgress(gitDir) : null;
}

/**
 * Refuses to remove work `git status` does not show and `git worktree remove` deletes anyway:
 * an operation stopped half-way (its state, a mailbox of git am, lives in the worktree's git
 * dir), edits to files marked skip-worktree or assume-unchanged, and the commits of a detached
 * HEAD that no ref or other worktree holds.
 */
export async function assertNoHiddenWork(repo: Repo, wt: WorktreeInfo): Promise<void> {
  const operation = await operationIn(wt.path);
  if (operation) {
    throw new RefusedError(
      `worktree ${wt.name} has a ${operation} in progress; ${operationHint(operation, wt.path)}, or pass --force to discard it`,
      { operation },
    );
  }
  const hidden = await hiddenChanges(wt.path);
  if (hidden.length > 0) {
    const more = hidden.length > LISTED ? ` and ${hidden.length - LISTED} more` : '';
    throw new RefusedError(
      `worktree ${wt.name} has changes git status does not show (skip-worktree or assume-unchanged): ${hidden.slice(0, LISTED).join(', ')}${more}; commit or copy them, or pass --force to discard them`,
      { hidden },
    );
  }
  if (wt.branch !== null || wt.head === null) return;
  const others = (await worktrees(repo))
    .filter((w) => w.path !== wt.path && w.head !== null)
    .map((w) => w.head as string);
  const count = await unheldCommitCount(repo.commonDir, wt.head, others);
  if (count === 0) return;
  throw new RefusedError(
    `worktree ${wt.name} has a detached HEAD (${shortId(wt.head)}) with ${count} commit${count === 1 ? '' : 's'} no branch holds; keep ${count === 1 ? 'it' : 'them'} with git -C ${wt.path} branch <name>, or pass --force to let them go`,
    { head: wt.head },
  );
}
