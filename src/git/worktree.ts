import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GitError } from '../errors.js';
import { runGit, splitNul } from './run.js';

export interface GitWorktree {
  path: string;
  head: string | null;
  /** Short branch name, or null when detached. */
  branch: string | null;
  detached: boolean;
  bare: boolean;
  /** Lock reason ('' when locked without one), or null when not locked. */
  locked: string | null;
  /** Why git would prune it, or null. */
  prunable: string | null;
}

/** Parses `git worktree list --porcelain -z`. */
export function parseWorktreeList(stdout: string): GitWorktree[] {
  const result: GitWorktree[] = [];
  let current: GitWorktree | undefined;
  for (const field of splitNul(stdout)) {
    if (field === '') {
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? null : field.slice(space + 1);
    if (key === 'worktree') {
      current = {
        path: value ?? '',
        head: null,
        branch: null,
        detached: false,
        bare: false,
        locked: null,
        prunable: null,
      };
      result.push(current);
      continue;
    }
    if (!current) continue;
    switch (key) {
      case 'HEAD':
        current.head = value && !/^0+$/.test(value) ? value : null;
        break;
      case 'branch':
        current.branch = value ? value.replace(/^refs\/heads\//, '') : null;
        break;
      case 'detached':
        current.detached = true;
        break;
      case 'bare':
        current.bare = true;
        break;
      case 'locked':
        current.locked = value ?? '';
        break;
      case 'prunable':
        current.prunable = value ?? '';
        break;
    }
  }
  return result;
}

/**
 * What git worktree list says while another process is adding a worktree: the worktree's admin
 * folder exists before the files in it. Such an add takes milliseconds.
 */
const HALF_ADDED = /failed to read \S*commondir|not a git repository: \S*\/worktrees\//;

/**
 * The worktrees, as git lists them; asked again when a worktree is being added meanwhile (four
 * more tries, 0.2 s of waiting in all), so that status or claim next to a worktree add does not
 * fail. A folder a killed add left half-made still fails, as git says.
 */
export async function listWorktrees(cwd: string): Promise<GitWorktree[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await runGit(['worktree', 'list', '--porcelain', '-z'], { cwd });
      return parseWorktreeList(stdout);
    } catch (error) {
      if (attempt === 5 || !(error instanceof GitError) || !HALF_ADDED.test(error.stderr)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/** Creates a worktree; with `newBranch`, the branch is created at `startPoint`. */
export async function addWorktree(
  cwd: string,
  options: { path: string; branch: string; newBranch: boolean; startPoint?: string },
): Promise<void> {
  const args = ['worktree', 'add'];
  if (options.newBranch) {
    // --no-track: the new branch must not track the base, or `git push` would target main.
    args.push('--no-track', '-b', options.branch, '--', options.path);
    if (options.startPoint) args.push(options.startPoint);
  } else {
    // The short name is what makes git check the branch out (refs/heads/x would detach HEAD);
    // git looks it up as refs/heads/<branch> first, so no tag or remote ref can stand in.
    args.push('--', options.path, options.branch);
  }
  await runGit(args, { cwd });
}

export async function removeWorktree(
  cwd: string,
  worktreePath: string,
  options: { force: boolean; locked: boolean },
): Promise<void> {
  const args = ['worktree', 'remove'];
  // git needs --force twice to remove a locked worktree.
  if (options.force) args.push('--force');
  if (options.force && options.locked) args.push('--force');
  args.push('--', worktreePath);
  await runGit(args, { cwd });
}

export async function pruneWorktrees(cwd: string): Promise<void> {
  await runGit(['worktree', 'prune'], { cwd });
}

export async function lockWorktree(
  cwd: string,
  worktreePath: string,
  reason: string,
): Promise<void> {
  await runGit(['worktree', 'lock', '--reason', reason, '--', worktreePath], { cwd });
}

export async function unlockWorktree(cwd: string, worktreePath: string): Promise<void> {
  await runGit(['worktree', 'unlock', '--', worktreePath], { cwd, okCodes: [128] });
}

/**
 * The admin dir (<common dir>/worktrees/<id>) of every linked worktree, by the path
 * `git worktree list` shows for it. Read from the `gitdir` file git keeps in each, which is where
 * git itself takes that path from; no process is started.
 */
export async function linkedWorktreeAdminDirs(commonDir: string): Promise<Map<string, string>> {
  const root = path.join(commonDir, 'worktrees');
  let ids: string[];
  try {
    ids = await readdir(root);
  } catch {
    return new Map();
  }
  const result = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      const adminDir = path.join(root, id);
      try {
        const target = (await readFile(path.join(adminDir, 'gitdir'), 'utf8')).trim();
        // git ≥ 2.48 may write it relative to the admin dir (worktree.useRelativePaths).
        const dotGit = path.resolve(adminDir, target);
        result.set(dotGit.replace(/[/\\]\.git$/, ''), adminDir);
      } catch {
        // Not a worktree's admin dir (or one git is creating or deleting right now).
      }
    }),
  );
  return result;
}
