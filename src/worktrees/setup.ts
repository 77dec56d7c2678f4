import type { Repo } from '../repo.js';
import { copyInto, filesToCopy, readIncludeFile, type CopyResult } from './copy.js';
import { runPostCreate, type PostCreateOutcome } from './post-create.js';
import { addWorktreeFor, type AddOptions, type AddResult } from './add.js';

/**
 * `worktree add` (and `switch -c`): create the worktree, copy in the ignored files it needs
 * (copy.ts) unless told not to, then run config `worktrees.postCreate` there (post-create.ts).
 * A failing setup step never removes the worktree: it is reported, and the worktree stays.
 */

export interface SetupOptions {
  /** false for --no-copy. */
  copy: boolean;
  env: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
}

export interface CreatedWorktree extends AddResult {
  copy: CopyResult | null;
  postCreate: PostCreateOutcome[];
}

export async function createWorktree(
  repo: Repo,
  options: AddOptions,
  setup: SetupOptions,
): Promise<CreatedWorktree> {
  const include = setup.copy ? await readIncludeFile(repo.mainRoot) : null;
  const added = await addWorktreeFor(repo, options);
  const { worktrees } = repo.config;
  const copy = setup.copy
    ? await copyInto(
        repo.mainRoot,
        added.path,
        await filesToCopy(repo.mainRoot, include, worktrees.copy),
      )
    : null;
  const postCreate = await runPostCreate(worktrees.postCreate, {
    cwd: added.path,
    env: { ...setup.env, TMC_WORKTREE: added.name, TMC_WORKTREE_PATH: added.path },
    onLine: setup.onLine,
  });
  return { ...added, copy, postCreate };
}

/** The postCreate command that failed, if any. */
export function failedStep(
  created: CreatedWorktree,
): Extract<PostCreateOutcome, { status: 'failed' }> | null {
  for (const step of created.postCreate) if (step.status === 'failed') return step;
  return null;
}
