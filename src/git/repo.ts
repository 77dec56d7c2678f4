import path from 'node:path';
import { UsageError, GitError } from '../errors.js';
import { refCommits } from './history.js';
import { ambiguousName, gitText, runGit } from './run.js';

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
 * refs/tags/<n>, refs/heads/<n>, refs/remotes/<n>, refs/remotes/<n>/HEAD).
 */
async function refsNamedBy(cwd: string, name: string): Promise<string[]> {
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

/**
 * The error for a name (`what`: "--base", "--from", "revision") that git resolves by picking one
 * of several refs, naming them and the way out.
 */
export async function ambiguousNameError(
  cwd: string,
  what: string,
  name: string,
): Promise<UsageError> {
  const refs = await refsNamedBy(cwd, name);
  // The other one is a pseudo-ref (a file in the git dir), which for-each-ref does not list.
  if (refs.length < 2) refs.unshift(`${name} (in the git dir)`);
  const example = refs.find((r) => r.startsWith('refs/remotes/')) ?? refs[refs.length - 1];
  return new UsageError(
    `${what} ${JSON.stringify(name)} is ambiguous: ${refs.join(', ')}; pass the full ref name (e.g. ${example}) or a commit id, or rename the branch that shadows it (git branch -m <old> <new>)`,
  );
}

/** What a revision given by a user names: a commit, several refs, or nothing. */
export type CommitResolution =
  { status: 'commit'; id: string } | { status: 'ambiguous' } | { status: 'missing' };

/**
 * Resolves a revision given by a user. Unlike resolveCommit, a short name that stands for several
 * refs is an answer of its own: git would silently pick the first.
 */
export async function resolveUserCommit(cwd: string, rev: string): Promise<CommitResolution> {
  const { stdout, stderr, exitCode } = await runGit(
    [
      '-c',
      'core.warnAmbiguousRefs=true',
      'rev-parse',
      '--verify',
      '--end-of-options',
      `${rev}^{commit}`,
    ],
    { cwd, okCodes: [128] },
  );
  if (ambiguousName(stderr) !== null) return { status: 'ambiguous' };
  return exitCode === 0 ? { status: 'commit', id: stdout.trim() } : { status: 'missing' };
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

/** The names of the configured remotes. */
export async function listRemotes(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(['remote'], { cwd });
  return stdout.split('\n').filter((name) => name !== '');
}

export async function remoteExists(cwd: string, remote: string): Promise<boolean> {
  if (!remote) return false;
  return (await listRemotes(cwd)).includes(remote);
}

/** The short names of the branches, remote-tracking branches and tags: what a user may mean. */
export async function refShortNames(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['for-each-ref', '--format=%(refname:short)', 'refs/heads/', 'refs/remotes/', 'refs/tags/'],
    { cwd },
  );
  return stdout.split('\n').filter((name) => name !== '');
}

/** The short names of the local branches (refs/heads/…). */
export async function branchNames(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(['for-each-ref', '--format=%(refname:lstrip=2)', 'refs/heads/'], {
    cwd,
  });
  return stdout.split('\n').filter((name) => name !== '');
}
