import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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

/** This checkout: the repository the tests are run from. */
const PROJECT = path.resolve(import.meta.dirname, '../..');

/**
 * `cwd` when it is an absolute path outside this checkout; else throws. A `cwd` left undefined
 * (a fixture's path read from a missing key through `as string`) makes git or the tool act on
 * the folder the tests run from: once a test detached this checkout's HEAD that way.
 */
export function testCwd(cwd: string): string {
  if (typeof cwd !== 'string' || !path.isAbsolute(cwd)) {
    throw new Error(`a test ran a command with cwd ${String(cwd)}: give it an absolute path`);
  }
  const inside = path.relative(PROJECT, cwd);
  if (inside === '' || (!inside.startsWith('..') && !path.isAbsolute(inside))) {
    throw new Error(`a test ran a command in this checkout (${cwd}): use a temp repository`);
  }
  return cwd;
}

/** Runs real git in a test's repository; throws with stderr on failure. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa('git', args, { cwd: testCwd(cwd), reject: false });
  if (result.exitCode !== 0) {
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  }
  return result.stdout;
}

export function writeFile(cwd: string, file: string, content: string): void {
  const full = path.join(testCwd(cwd), file);
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
 * The repositories makeRepo copies: built once per test file (each file runs in its own
 * process), with real git, then copied per test; a copy costs no git process.
 */
const templates = new Map<string, Promise<string>>();
process.on('exit', () => {
  for (const dir of templateDirs) rmSync(dir, { recursive: true, force: true });
});
const templateDirs: string[] = [];

async function buildTemplate(remote: boolean): Promise<string> {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-template-')));
  templateDirs.push(root);
  const main = path.join(root, 'repo');
  mkdirSync(main);
  await git(main, 'init', '-q', '-b', 'main');
  await commitFiles(main, { 'README.md': '# test\n' }, 'initial');
  if (remote) {
    const bare = path.join(root, 'remote.git');
    await git(root, 'init', '-q', '--bare', '-b', 'main', bare);
    await git(main, 'remote', 'add', 'origin', bare);
    await git(main, 'push', '-q', '-u', 'origin', 'main');
  }
  return root;
}

/**
 * A real repository `<root>/repo` on branch main with one commit; with `remote`, a bare
 * `<root>/remote.git` as origin, main pushed and tracked. A copy of a template (see above): the
 * remote's URL, the one absolute path inside, is rewritten to the copy's.
 */
export async function makeRepo(options: { remote?: boolean } = {}): Promise<TestRepo> {
  const remote = Boolean(options.remote);
  const key = remote ? 'remote' : 'plain';
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(remote);
    templates.set(key, template);
  }
  const from = await template;
  const root = tempDir();
  cpSync(from, root, { recursive: true });
  const main = path.join(root, 'repo');
  if (remote) {
    const config = path.join(main, '.git', 'config');
    writeFileSync(config, readFileSync(config, 'utf8').split(from).join(root));
  }
  return {
    root,
    main,
    remote: remote ? path.join(root, 'remote.git') : null,
    worktreeRoot: path.join(root, 'repo-worktrees'),
    sharedDir: path.join(root, 'repo-shared-tools'),
  };
}
