import path from 'node:path';
import { commitFiles, git, makeRepo, tempDir, type TestRepo } from './repo.js';

/** The repositories tests build on: the one place that says how (see makeRepo for the base). */

export interface WorktreeRepo extends TestRepo {
  /** The folder of each linked worktree, by name. */
  wt: Record<string, string>;
}

export interface WorktreeRepoOptions {
  /** A bare origin, main pushed; worktrees branch from origin/main without tracking it. */
  remote?: boolean;
  /** Committed on main (and pushed, with `remote`) before the worktrees are made. */
  files?: Record<string, string>;
  /** Each worktree gets one commit of its own, adding `<name>.txt`. */
  work?: boolean;
}

/**
 * A repository with linked worktrees `names` under the default worktree root, each on a new
 * branch of its name.
 */
export async function repoWithWorktrees(
  names: readonly string[],
  options: WorktreeRepoOptions = {},
): Promise<WorktreeRepo> {
  const repo = await makeRepo({ remote: Boolean(options.remote) });
  if (options.files) {
    await commitFiles(repo.main, options.files, 'base files');
    if (options.remote) await git(repo.main, 'push', '-q', 'origin', 'main');
  }
  const wt: Record<string, string> = {};
  for (const name of names) {
    const dir = path.join(repo.worktreeRoot, name);
    await git(
      repo.main,
      'worktree',
      'add',
      '-q',
      ...(options.remote ? ['--no-track', '-b', name, dir, 'origin/main'] : ['-b', name, dir]),
    );
    if (options.work) await commitFiles(dir, { [`${name}.txt`]: `${name}\n` }, `work in ${name}`);
    wt[name] = dir;
  }
  return { ...repo, wt };
}

/** Moves the remote's main on by one commit, from a separate clone, as another agent would. */
export async function advanceRemote(
  repo: TestRepo,
  files: Record<string, string> = { 'up.txt': `${Date.now()}\n` },
): Promise<string> {
  const clone = path.join(tempDir(), 'clone');
  await git(repo.root, 'clone', '-q', repo.remote as string, clone);
  const head = await commitFiles(clone, files, 'main moves on');
  await git(clone, 'push', '-q', 'origin', 'main');
  return head;
}
