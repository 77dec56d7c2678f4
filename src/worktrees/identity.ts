import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * A worktree's identity, so that a claim holds the worktree it was taken on and nothing else: not
 * a worktree made later at the same path after the first was removed with plain git. A name or a
 * path cannot tell them apart, nor can git's admin dir name (<common>/worktrees/<id>), which git
 * reuses. The identity is that id plus the modification time, in nanoseconds, of the `commondir`
 * file git writes in the admin dir once, when it creates the worktree, and never again: a new
 * worktree has a new file. Nothing is written into .git, so worktrees made by plain git have one
 * too. Limit: on a filesystem with coarse timestamps (FAT: 2 s), a worktree removed and re-created
 * under the same id within that time has the same identity.
 */

/** The main worktree's identity: it is never removed or replaced. */
export const MAIN_IDENTITY = 'main';

/** The identity of the linked worktree with admin dir `adminDir`, or null when it is gone. */
export async function linkedIdentity(adminDir: string): Promise<string | null> {
  try {
    const info = await stat(path.join(adminDir, 'commondir'), { bigint: true });
    return `${path.basename(adminDir)}@${info.mtimeNs}`;
  } catch {
    return null;
  }
}

/** The identity of the worktree whose git dir is `gitDir` (see RepoPaths). */
export async function identityOfGitDir(gitDir: string, commonDir: string): Promise<string | null> {
  return path.resolve(gitDir) === path.resolve(commonDir) ? MAIN_IDENTITY : linkedIdentity(gitDir);
}
