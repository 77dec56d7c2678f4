import path from 'node:path';
import { UsageError, GitError } from '../errors.js';
import { refCommits } from './history.js';
import { gitText, runGit } from './run.js';

export interface RepoPaths {
  /** Top of the worktree the command runs in. */
  toplevel: string;
  /** This worktree's git dir (.git, or .git/worktrees/<id> for a linked worktree). */
  gitDir: string;
  /** The common git dir shared by every worktree. */
  commonDir: string;
  /** Top of the main worktree (where the config file lives). */
  mainRoot: string;
}

/** Finds the repository around cwd in one git call. */
export async function repoPaths(cwd: string): Promise<RepoPaths> {
  let out: string;
  try {
    out = await gitText(
      [
        'rev-parse',
        '--path-format=absolute',
        '--show-toplevel',
        '--git-dir',
        '--git-common-dir',
        '--is-bare-repository',
      ],
      { cwd },
    );
  } catch (error) {
    if (error instanceof GitError && /not a git repository/i.test(error.stderr)) {
      throw new UsageError(
        `not a git repository: ${cwd}; run tmc-orch inside a worktree of the repository, or pass -C <dir>`,
      );
    }
    if (error instanceof GitError && /must be run in a work tree|bare/i.test(error.stderr)) {
      throw new UsageError(
        `${cwd} is not inside a worktree (bare repository?); run tmc-orch from the main or a linked worktree`,
      );
    }
    throw error;
  }
  const [toplevel, gitDir, commonDir] = out.split('\n');
  if (!toplevel || !gitDir || !commonDir) {
    throw new UsageError(
      `${cwd} is not inside a worktree (bare repository?); run tmc-orch from the main or a linked worktree`,
    );
  }
  return { toplevel, gitDir, commonDir, mainRoot: await mainWorktreeRoot(commonDir, toplevel) };
}

async function mainWorktreeRoot(commonDir: string, toplevel: string): Promise<string> {
  // The usual layout: <main>/.git is the common dir. Anything else (separate git dir, bare repo
  // with worktrees) is asked of git, which lists the main worktree first.
  if (path.basename(commonDir) === '.git') return path.dirname(commonDir);
  const { stdout } = await runGit(['worktree', 'list', '--porcelain', '-z'], { cwd: toplevel });
  const first = stdout.split('\0').find((l) => l.startsWith('worktree '));
  return first ? first.slice('worktree '.length) : toplevel;
}

/** The commit a revision names, or null when it names none. */
export async function resolveCommit(cwd: string, rev: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
    { cwd, okCodes: [1, 128] },
  );
  return exitCode === 0 ? stdout.trim() : null;
}

/**
 * The refs a short name stands for, in the order git tries them (`git help revisions`: refs/<n>,
 * refs/tags/<n>, refs/heads/<n>, refs/remotes/<n>, refs/remotes/<n>/HEAD); for messages about a
 * name that stands for more than one.
 */
export async function refsNamedBy(cwd: string, name: string): Promise<string[]> {
  const candidates = [
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  ];
  const found = await refCommits(cwd, candidates);
  return candidates.filter((ref) => found.has(ref));
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  const { exitCode } = await runGit(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd,
    okCodes: [1],
  });
  return exitCode === 0;
}

/** Whether git accepts `name` as a branch name (`git check-ref-format --branch`). */
export async function isValidBranchName(cwd: string, name: string): Promise<boolean> {
  // "@" is git's shorthand for HEAD: a branch called that would be read as HEAD everywhere.
  if (name.startsWith('-') || name === '@') return false;
  const { exitCode, stdout } = await runGit(['check-ref-format', '--branch', name], {
    cwd,
    okCodes: [1, 128],
  });
  // --branch expands @{-1} to the branch checked out before: a name must stand for itself.
  return exitCode === 0 && stdout.trim() === name;
}

/** Whether `ancestor` is reachable from `descendant`. */
export async function isAncestor(
  cwd: string,
  ancestor: string,
  descendant: string,
): Promise<boolean> {
  const { exitCode } = await runGit(
    ['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant],
    { cwd, okCodes: [1] },
  );
  return exitCode === 0;
}

/**
 * Deletes a branch only if it still points at `expected` (compare-and-swap), so a commit made
 * between our check and the delete is never lost.
 */
export async function deleteBranch(cwd: string, branch: string, expected: string): Promise<void> {
  await runGit(['update-ref', '-d', `refs/heads/${branch}`, expected], { cwd });
}

export async function remoteExists(cwd: string, remote: string): Promise<boolean> {
  if (!remote) return false;
  const { stdout } = await runGit(['remote'], { cwd });
  return stdout.split('\n').includes(remote);
}
