import { afterAll, beforeAll } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goFile, kcpBranchFiles, MODULE } from './kcp-branch.js';
import { commitFiles, git, makeRepo, tempDir, writeFile, type TestRepo } from './repo.js';
import { runJsonIn } from './run.js';

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

/**
 * Squash-merges `branch` into the remote's main from a clone, as a host's squash merge does,
 * after a commit of `first` (by default an unrelated change, OWNERS) on main.
 */
export async function squashMerge(
  repo: TestRepo,
  branch: string,
  first: Record<string, string> = { OWNERS: 'approvers:\n- someone\n' },
): Promise<void> {
  await git(repo.main, 'push', '-q', '--no-verify', 'origin', branch);
  const clone = path.join(tempDir(), 'clone');
  await git(repo.root, 'clone', '-q', repo.remote!, clone);
  await commitFiles(clone, first, 'another change on main');
  await git(clone, 'merge', '-q', '--squash', `origin/${branch}`);
  await git(clone, 'commit', '-q', '-m', `${branch} (squashed)`);
  await git(clone, 'push', '-q', 'origin', 'main');
}

/**
 * A worktree `name` (tmc-orch worktree add) with two commits, squash-merged into main, which is
 * checked out at `main`. Its path.
 */
export async function squashedWorktree(main: string, name: string): Promise<string> {
  const added = await runJsonIn<{ path: string }>(['worktree', 'add', name], { cwd: main });
  if (added.exitCode !== 0) throw new Error(`worktree add ${name} failed: ${added.stderr}`);
  const wt = added.json.path;
  await commitFiles(wt, { [`${name}.txt`]: `${name}\n` }, `work of ${name}`);
  // Two commits: one alone would have the squash's patch-id and count as rebased.
  await commitFiles(wt, { [`${name}.txt`]: `${name}, done\n` }, `more work of ${name}`);
  await git(main, 'merge', '-q', '--squash', name);
  await git(main, 'commit', '-q', '-m', `squash ${name}`);
  return wt;
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

/**
 * Machines sharing one remote: clones of one bare repository, each with its own worktrees and
 * its own config `coordination: "remote"`. The remote is reached over the local transport, or
 * over git's own protocol through `git daemon --enable=receive-pack` on a free localhost port.
 */

/** A per-user config folder of the test's own: XDG_CONFIG_HOME, and the file in it. */
export function userConfig(content?: unknown): { xdg: string; file: string } {
  const xdg = tempDir('tmc-orch-xdg-');
  const file = path.join(xdg, 'tmc-orch', 'config.json');
  if (content !== undefined) writeFile(xdg, 'tmc-orch/config.json', JSON.stringify(content));
  return { xdg, file };
}

export interface Machine {
  name: string;
  main: string;
  worktreeRoot: string;
  sharedDir: string;
}

export interface Cluster {
  repo: TestRepo;
  remote: string;
  machines: Machine[];
}

function writeConfig(main: string, extra: Record<string, unknown>): void {
  writeFileSync(
    path.join(main, '.tmc-orch.json'),
    JSON.stringify({ coordination: 'remote', ...extra }),
  );
}

/** `count` clones of one bare remote, each with linked worktrees `names`. */
export async function cluster(
  count: number,
  names: string[],
  config: Record<string, unknown> = {},
): Promise<Cluster> {
  const repo = await makeRepo({ remote: true });
  const remote = repo.remote ?? '';
  const machines: Machine[] = [];
  for (let i = 0; i < count; i++) {
    const name = `m${i}`;
    const main = i === 0 ? repo.main : path.join(repo.root, name);
    if (i > 0) await git(repo.root, 'clone', '-q', remote, main);
    await git(main, 'config', 'user.name', `user ${name}`);
    await git(main, 'config', 'user.email', `${name}@example.com`);
    // .tmc-orch.json is not committed here: each machine has its own copy.
    const worktreeRoot = path.join(repo.root, `${name}-worktrees`);
    for (const wt of names) {
      await git(main, 'worktree', 'add', '-q', '-b', `${name}-${wt}`, path.join(worktreeRoot, wt));
    }
    writeConfig(main, {
      ...config,
      worktreeRoot,
      sharedDir: path.join(repo.root, `${name}-shared`),
    });
    machines.push({ name, main, worktreeRoot, sharedDir: path.join(repo.root, `${name}-shared`) });
  }
  return { repo, remote, machines };
}

/**
 * Builds the template in a folder of its own (remove it with `removeTemplate` after the file's
 * tests): main with go.mod and the config (remote origin, the kcp preset), pushed to a bare
 * remote; the branch (`tmc`, with kcpBranchFiles) checked out in the main worktree, in two commits.
 */
async function buildKcpTemplate(
  branch = 'tmc',
  files: Record<string, string> = kcpBranchFiles(),
): Promise<TestRepo> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-kcp-template-'));
  const main = path.join(root, 'repo');
  const remote = path.join(root, 'remote.git');
  mkdirSync(main);
  await git(main, 'init', '-q', '-b', 'main');
  await git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  await git(main, 'remote', 'add', 'origin', remote);
  await commitFiles(
    main,
    {
      'README.md': '# kcp\n',
      'go.mod': `module ${MODULE}\n\ngo 1.22\n`,
      '.tmc-orch.json': JSON.stringify({ lines: { generated: { presets: ['kcp'] } } }),
      'pkg/features/features.go': goFile('features', [], 30),
    },
    'base',
  );
  await git(main, 'push', '-q', '-u', 'origin', 'main');
  await git(main, 'checkout', '-q', '-b', branch);
  const entries = Object.entries(files);
  const half = Math.floor(entries.length / 2);
  await commitFiles(main, Object.fromEntries(entries.slice(0, half)), `${branch}: first half`);
  await commitFiles(main, Object.fromEntries(entries.slice(half)), `${branch}: second half`);
  return {
    root,
    main,
    remote,
    worktreeRoot: path.join(root, 'repo-worktrees'),
    sharedDir: path.join(root, 'repo-shared-tools'),
  };
}

/**
 * kcp-like templates for one test file, by name (`branch` and `files` as buildKcpTemplate takes
 * them): built together before its tests and removed after them. Each name gives a function that
 * makes a fresh copy of its template for one test.
 */
export function kcpTemplates<Name extends string>(
  specs: Record<Name, { branch?: string; files?: Record<string, string> }>,
): Record<Name, () => TestRepo> {
  const built = new Map<Name, TestRepo>();
  const names = Object.keys(specs) as Name[];
  beforeAll(async () => {
    const repos = await Promise.all(
      names.map((name) => buildKcpTemplate(specs[name].branch, specs[name].files)),
    );
    names.forEach((name, i) => built.set(name, repos[i] as TestRepo));
  });
  afterAll(() => {
    for (const template of built.values()) rmSync(template.root, { recursive: true, force: true });
  });
  return Object.fromEntries(
    names.map((name) => [
      name,
      () => {
        const template = built.get(name);
        if (!template) throw new Error(`kcpTemplates: ${name} is used before it was built`);
        return copyRepo(template);
      },
    ]),
  ) as Record<Name, () => TestRepo>;
}

/** A copy of a template repository (its remote included) in a temp folder removed after the test. */
function copyRepo(template: TestRepo): TestRepo {
  const root = tempDir();
  cpSync(template.root, root, { recursive: true, verbatimSymlinks: true });
  const rebase = (p: string) => path.join(root, path.relative(template.root, p));
  const copy: TestRepo = {
    root,
    main: rebase(template.main),
    remote: template.remote ? rebase(template.remote) : null,
    worktreeRoot: rebase(template.worktreeRoot),
    sharedDir: rebase(template.sharedDir),
  };
  if (template.remote && copy.remote) {
    // The remote's URL is a path: point it at the copy's own remote.
    const config = path.join(copy.main, '.git', 'config');
    writeFileSync(config, readFileSync(config, 'utf8').replaceAll(template.remote, copy.remote));
  }
  return copy;
}
