import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach } from 'vitest';

const cleanups: string[] = [];

afterEach(() => {
  for (const dir of cleanups.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the current test. */
export function tempDir(prefix = 'tmc-orch-test-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  cleanups.push(dir);
  return dir;
}

/** Runs real git; throws with stderr on failure. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa('git', args, { cwd, reject: false });
  if (result.exitCode !== 0) {
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  }
  return result.stdout;
}

export function writeFile(cwd: string, file: string, content: string): void {
  const full = path.join(cwd, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** Writes files and commits them; returns the new commit. */
export async function commitFiles(
  cwd: string,
  files: Record<string, string>,
  message = 'change',
): Promise<string> {
  for (const [file, content] of Object.entries(files)) writeFile(cwd, file, content);
  await git(cwd, 'add', '-A', '--', ...Object.keys(files));
  await git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

export interface TestRepo {
  /** The folder holding everything (main worktree, worktree root, shared dir, remote). */
  root: string;
  /** The main worktree. */
  main: string;
  /** The bare repository playing the remote, when asked for. */
  remote: string | null;
  worktreeRoot: string;
  sharedDir: string;
}

/**
 * A real repository `<root>/repo` on branch main with one commit; with `remote`, a bare
 * `<root>/remote.git` as origin, main pushed and tracked.
 */
export async function makeRepo(options: { remote?: boolean } = {}): Promise<TestRepo> {
  const root = tempDir();
  const main = path.join(root, 'repo');
  mkdirSync(main);
  await git(main, 'init', '-q', '-b', 'main');
  await commitFiles(main, { 'README.md': '# test\n' }, 'initial');
  let remote: string | null = null;
  if (options.remote) {
    remote = path.join(root, 'remote.git');
    await git(root, 'init', '-q', '--bare', '-b', 'main', remote);
    await git(main, 'remote', 'add', 'origin', remote);
    await git(main, 'push', '-q', '-u', 'origin', 'main');
  }
  return {
    root,
    main,
    remote,
    worktreeRoot: path.join(root, 'repo-worktrees'),
    sharedDir: path.join(root, 'repo-shared-tools'),
  };
}
