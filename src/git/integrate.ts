import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitError } from '../errors.js';
import { runGit, type GitResult } from './run.js';

export type FetchOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Fetches one branch of a remote into its remote-tracking ref, stopped after `timeoutMs`. A
 * remote that cannot be reached, or has no such branch, is an answer (ok: false, with git's
 * reason), not an error. FETCH_HEAD is not written: it would be one more shared file for
 * concurrent syncs to fight over.
 */
export async function fetchBranch(
  cwd: string,
  remote: string,
  branch: string,
  timeoutMs: number,
): Promise<FetchOutcome> {
  const args = [
    'fetch',
    '--quiet',
    '--no-write-fetch-head',
    '--no-tags',
    '--end-of-options',
    remote,
    `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`,
  ];
  try {
    const { exitCode, stderr } = await runGit(args, { cwd, okCodes: [1, 128], timeoutMs });
    return exitCode === 0 ? { ok: true } : { ok: false, reason: fetchFailure(stderr, branch) };
  } catch (error) {
    if (error instanceof GitError && error.gitExitCode === undefined) {
      return { ok: false, reason: error.stderr.trim().split('\n')[0] ?? 'stopped' };
    }
    throw error;
  }
}

/** Why a fetch failed, in one line, from git's messages. */
function fetchFailure(stderr: string, branch: string): string {
  if (/couldn't find remote ref/i.test(stderr)) return `the remote has no branch ${branch}`;
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fatal = lines.find((l) => /^(fatal|error):/i.test(l)) ?? lines[0] ?? 'git fetch failed';
  return fatal.replace(/^(fatal|error):\s*/i, '');
}

/** How an integrating git runs: see GitRunOptions.outputFile and onSpawn. */
export interface SurvivingRun {
  outputFile: string;
  onSpawn?: (pid: number) => Promise<void>;
}

/**
 * Rebases the checked-out branch onto `onto` (only its commits after `upstream`, when given).
 * Never autostashes (the stash list is shared by every
 * worktree, and a failed pop reports success while leaving conflicts); never moves other branches.
 * Returns git's result (its messages in stderr); a non-zero exit is left for the caller to inspect.
 */
export async function rebaseOnto(
  cwd: string,
  onto: string,
  run: SurvivingRun,
  upstream: string | null = null,
): Promise<GitResult> {
  // With `upstream`, only the commits after it are replayed (`rebase --onto <onto> <upstream>`):
  // a part of a stack leaves its old parent's commits behind.
  const target = upstream === null ? [onto] : [upstream];
  const ontoFlag = upstream === null ? [] : ['--onto', onto];
  // rebase.updateRefs=false rather than --no-update-refs: git before 2.38 has neither the option
  // nor the behaviour, and rejects the option (exit 129) while it ignores the unknown config key.
  return runGit(
    [
      '-c',
      'rebase.updateRefs=false',
      'rebase',
      '--no-autostash',
      ...ontoFlag,
      '--end-of-options',
      ...target,
    ],
    { cwd, okCodes: [1, 2, 128], ...run },
  );
}

/** Merges `ref` into the checked-out branch; no autostash, no editor. */
export async function mergeInto(cwd: string, ref: string, run: SurvivingRun): Promise<GitResult> {
  return runGit(['merge', '--no-autostash', '--no-edit', '--end-of-options', ref], {
    cwd,
    okCodes: [1, 2, 128],
    ...run,
  });
}

/**
 * Ends a stopped rebase or merge without touching HEAD, the index or any file (`--quit`): the
 * caller has put them back already. Unlike `--abort`, which resets every tracked file.
 */
export async function quitOperation(cwd: string, kind: 'rebase' | 'merge'): Promise<void> {
  await runGit([kind, '--quit'], { cwd });
}

/** `git reset --mixed <commit>`: HEAD (or the branch it names) and the index; no file. */
export async function resetIndexTo(cwd: string, commit: string): Promise<void> {
  await runGit(['reset', '-q', commit, '--'], { cwd });
}

/** Points a detached HEAD back at `branch` (no file, index or branch changes). */
export async function attachHead(cwd: string, branch: string, reason: string): Promise<void> {
  await runGit(['symbolic-ref', '-m', reason, 'HEAD', `refs/heads/${branch}`], { cwd });
}

/**
 * Writes `paths` as they are in `commit`, in the index and the worktree, deleting those the
 * commit does not have (`checkout --no-overlay`). Overwrites whatever is there: the caller has
 * made sure it may. Paths go through stdin, literally (no glob, no argument length limit).
 */
export async function checkoutPaths(
  cwd: string,
  commit: string,
  paths: readonly string[],
): Promise<void> {
  if (paths.length === 0) return;
  await runGit(
    ['checkout', '--no-overlay', commit, '--pathspec-from-file=-', '--pathspec-file-nul'],
    { cwd, input: paths.map((p) => `${p}\0`).join(''), env: { GIT_LITERAL_PATHSPECS: '1' } },
  );
}

/**
 * What git writes into a file that conflicts, made again from the three versions with `git
 * merge-file` (in a temp folder; labels "ours", "base", "theirs"); null when git cannot merge
 * them as text (a binary file).
 */
export async function conflictOutput(
  cwd: string,
  versions: { base: Buffer | null; ours: Buffer; theirs: Buffer },
): Promise<Buffer | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tmc-orch-merge-'));
  const file = (name: string) => path.join(dir, name);
  try {
    await Promise.all([
      writeFile(file('ours'), versions.ours),
      writeFile(file('base'), versions.base ?? Buffer.alloc(0)),
      writeFile(file('theirs'), versions.theirs),
    ]);
    // The exit code is the number of conflicts; only a negative one (255) is an error.
    const conflicts = Array.from({ length: 127 }, (_, i) => i + 1);
    const labels = ['-L', 'ours', '-L', 'base', '-L', 'theirs'];
    await runGit(['merge-file', ...labels, file('ours'), file('base'), file('theirs')], {
      cwd,
      okCodes: conflicts,
    });
    return await readFile(file('ours'));
  } catch (error) {
    if (error instanceof GitError) return null;
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
