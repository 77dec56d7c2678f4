import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitError } from '../errors.js';
import { runGit, splitNul, type GitResult } from './run.js';

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

/** One entry of the index (`ls-files --stage`). */
export interface IndexEntry {
  mode: string;
  oid: string;
  /** 0 for a merged entry; 1 (base), 2 (ours), 3 (theirs) for a conflict. */
  stage: number;
}

/** Parses `git ls-files --stage -z` (`<mode> <oid> <stage>\t<path>` records), by path. */
function parseIndexEntries(stdout: string): Map<string, IndexEntry[]> {
  const entries = new Map<string, IndexEntry[]>();
  for (const record of splitNul(stdout)) {
    const match = /^(\d+) ([0-9a-f]+) (\d)\t([\s\S]*)$/.exec(record);
    if (!match) continue;
    const [, mode = '', oid = '', stage = '0', file = ''] = match;
    const list = entries.get(file) ?? [];
    list.push({ mode, oid, stage: Number(stage) });
    entries.set(file, list);
  }
  return entries;
}

/** The index entries of `paths` (every stage), by path; one process. */
export async function indexEntries(
  cwd: string,
  paths: readonly string[],
): Promise<Map<string, IndexEntry[]>> {
  if (paths.length === 0) return new Map();
  const wanted = new Set(paths);
  const { stdout } = await runGit(['ls-files', '--stage', '-z'], { cwd });
  return new Map([...parseIndexEntries(stdout)].filter(([file]) => wanted.has(file)));
}

/** Paths whose index entry differs from `commit` (conflicted ones included). */
export async function pathsStagedAgainst(cwd: string, commit: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['diff-index', '--cached', '--name-only', '-z', '--no-renames', commit, '--'],
    { cwd },
  );
  return [...new Set(splitNul(stdout))];
}

/** Paths whose file differs from the index (conflicted ones included): `git diff-files`. */
export async function pathsModified(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(['diff-files', '--name-only', '-z', '--no-renames'], { cwd });
  return [...new Set(splitNul(stdout))];
}

/** Paths with unresolved conflicts in a worktree. */
export async function unmergedFiles(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd });
  return [...new Set(splitNul(stdout))];
}

export async function headCommit(cwd: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], {
    cwd,
    okCodes: [1, 128],
  });
  return exitCode === 0 ? stdout.trim() : null;
}

/**
 * Everything that must be unchanged after an aborted sync: HEAD, the porcelain status, the index
 * entries (mode, blob, stage, path) and the bytes and mode of every tracked or untracked file.
 */
export interface WorktreeSnapshot {
  head: string | null;
  status: string;
  index: string;
  files: Map<string, string>;
}

/**
 * With `touched` (the paths that differ between HEAD and the commit being brought in: the only
 * tracked paths a checkout, rebase, merge or abort writes), only those and the untracked files
 * are hashed, whether ignored or not; without it, every tracked and untracked file is.
 */
export async function snapshotWorktree(
  cwd: string,
  touched?: readonly string[],
): Promise<WorktreeSnapshot> {
  const listArgs = touched
    ? ['ls-files', '-z', '--others', '--exclude-standard']
    : ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];
  const [head, status, index, listed] = await Promise.all([
    headCommit(cwd),
    runGit(['status', '--porcelain=v2', '-z', '--untracked-files=all'], { cwd }),
    runGit(['ls-files', '-z', '--stage'], { cwd }),
    runGit(listArgs, { cwd }),
  ]);
  const files = new Map<string, string>();
  for (const file of new Set([...splitNul(listed.stdout), ...(touched ?? [])])) {
    files.set(file, await fileFingerprint(path.join(cwd, file)));
  }
  return { head, status: status.stdout, index: index.stdout, files };
}

/** Paths of `ls-files --stage -z` output (the snapshot's index). */
export function indexPaths(index: string): Set<string> {
  const paths = new Set<string>();
  for (const record of splitNul(index)) {
    const tab = record.indexOf('\t');
    if (tab !== -1) paths.add(record.slice(tab + 1));
  }
  return paths;
}

/**
 * The folders of `paths` that are a file (or symlink) on disk but not in the index: git deletes
 * such a file without a word when it is ignored, to make room for a folder the commit brings.
 */
export async function filesInPlaceOfFolders(
  cwd: string,
  paths: readonly string[],
  tracked: ReadonlySet<string>,
): Promise<string[]> {
  const folders = new Set<string>();
  for (const p of paths) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) folders.add(p.slice(0, i));
  }
  const found: string[] = [];
  for (const folder of folders) {
    if (tracked.has(folder)) continue;
    const info = await lstat(path.join(cwd, folder)).catch(() => null);
    if (info && !info.isDirectory()) found.push(folder);
  }
  return found.sort();
}

/** Every path some commit of `range` (e.g. `base..HEAD`) changes: what a rebase replays. */
export async function pathsChangedIn(
  cwd: string,
  exclude: string,
  include: string,
): Promise<string[]> {
  const { stdout } = await runGit(
    ['log', '--format=', '--name-only', '-z', '--no-renames', `^${exclude}`, include, '--'],
    { cwd },
  );
  return [
    ...new Set(
      splitNul(stdout)
        .map((p) => p.replace(/^\n+/, ''))
        .filter(Boolean),
    ),
  ];
}

/** Every path whose content differs between two commits (renames as delete + add). */
export async function treeDiffPaths(cwd: string, from: string, to: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to],
    { cwd },
  );
  return splitNul(stdout);
}

async function fileFingerprint(file: string): Promise<string> {
  try {
    const info = await lstat(file);
    const hash = createHash('sha256');
    if (info.isSymbolicLink()) hash.update(`link:${await readlink(file)}`);
    else if (info.isFile()) hash.update(await readFile(file));
    else return `other:${info.mode.toString(8)}`;
    return `${(info.mode & 0o111) !== 0 ? 'x' : '-'}:${hash.digest('hex')}`;
  } catch {
    return 'missing';
  }
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
