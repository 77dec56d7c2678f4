import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { commitFiles, git, makeRepo, writeFile } from '../helpers/repo.js';

interface WorktreeJson {
  name: string;
  path: string;
  branch: string | null;
  head: string | null;
  dirty: boolean | null;
  locked: string | null;
  prunable: string | null;
  main: boolean;
}

/** Everything about a repository that a refused command must leave alone. */
async function snapshot(main: string, root: string) {
  return {
    worktrees: await git(main, 'worktree', 'list', '--porcelain'),
    refs: await git(main, 'for-each-ref', '--format=%(refname) %(objectname)'),
    status: await git(main, 'status', '--porcelain=v2', '--untracked-files=all'),
    files: readdirSync(root).sort(),
  };
}

describe('init and config', () => {
  it('writes the config, creates the folders and refuses to overwrite without --force', async () => {
    const repo = await makeRepo({ remote: true });
    const first = await runJsonIn<{ file: string; created: string[] }>(
      ['init', '--branch-prefix', 'feature/tmc2-impl2/', '--limit', '650'],
      { cwd: repo.main },
    );
    expect(first.exitCode).toBe(0);
    expect(first.json.file).toBe(path.join(repo.main, '.tmc-orch.json'));
    expect(first.json.created.sort()).toEqual([repo.sharedDir, repo.worktreeRoot].sort());
    expect(existsSync(repo.worktreeRoot)).toBe(true);

    const again = await runIn(['init'], { cwd: repo.main });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('--force');

    const config = await runJsonIn<{
      file: string;
      config: { branchPrefix: string; lines: { limit: number; target: number } };
    }>(['config'], { cwd: repo.main });
    expect(config.json.file).toBe(path.join(repo.main, '.tmc-orch.json'));
    expect(config.json.config.branchPrefix).toBe('feature/tmc2-impl2/');
    expect(config.json.config.lines).toMatchObject({ limit: 650, target: 600 });

    const forced = await runIn(['init', '--force', '--limit', '300'], { cwd: repo.main });
    expect(forced.exitCode).toBe(0);
    const after = await runJsonIn<{ config: { lines: { limit: number; target: number } } }>(
      ['config'],
      { cwd: repo.main },
    );
    expect(after.json.config.lines).toEqual(expect.objectContaining({ limit: 300, target: 257 }));
  });

  it.each([
    [['init', '--limit', 'abc'], '--limit'],
    [['init', '--limit', '0'], '--limit'],
    [['init', '--base', 'bad..name'], '--base'],
    [['init', '--remote', '-x'], '--remote'],
    [['init', '--branch-prefix', 'a b/'], '--branch-prefix'],
    [['init', '--worktree-root', '.'], '--worktree-root'],
    [['init', '--worktree-root', '.git/wt'], '--worktree-root'],
    [['init', '--shared-dir', 'README.md'], '--shared-dir'],
    [['init', '--shared-dir', 'README.md/shared'], '--shared-dir'],
  ])('init %j: exit 2, nothing written', async (args, flag) => {
    const repo = await makeRepo();
    const result = await runIn(args, { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo.main, '.tmc-orch.json'))).toBe(false);
    expect(existsSync(repo.worktreeRoot)).toBe(false);
  });

  it('a corrupted or invalid config is exit 2 with the file and the key, for every command', async () => {
    const repo = await makeRepo();
    const file = path.join(repo.main, '.tmc-orch.json');
    writeFileSync(file, '{ "base": "main", ');
    const broken = await runIn(['worktree', 'list'], { cwd: repo.main });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toContain(file);
    expect(broken.stderr).toContain('invalid JSON');

    writeFileSync(file, JSON.stringify({ lines: { limit: 'many' }, sync: { strategy: 'yolo' } }));
    const before = await snapshot(repo.main, repo.root);
    const invalid = await runJsonIn(['worktree', 'add', 'x'], { cwd: repo.main });
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain('lines.limit:');
    expect(invalid.stderr).toContain('sync.strategy:');
    expect(invalid.json).toMatchObject({ error: { code: 'config', exitCode: 2 } });
    expect(await snapshot(repo.main, repo.root)).toEqual(before);
  });

  it('outside a repository: exit 2 and a hint', async () => {
    const repo = await makeRepo();
    const outside = path.join(repo.root, 'plain');
    mkdirSync(outside);
    const result = await runIn(['worktree', 'list'], { cwd: outside });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/not a git repository.*-C/);
    const missing = await runIn(['-C', path.join(repo.root, 'nope'), 'worktree', 'list'], {
      cwd: repo.main,
    });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no such directory');
  });
});

describe('worktree add / list / remove', () => {
  it('creates a worktree from origin/main on a prefixed branch and lists it from anywhere', async () => {
    const repo = await makeRepo({ remote: true });
    await runIn(['init', '--branch-prefix', 'feature/t/'], { cwd: repo.main });
    // origin/main is ahead of the local main: new worktrees start from the remote.
    const clone = path.join(repo.root, 'other');
    await git(repo.root, 'clone', '-q', repo.remote as string, clone);
    const remoteHead = await commitFiles(clone, { 'remote.txt': 'x\n' }, 'remote work');
    await git(clone, 'push', '-q', 'origin', 'main');
    await git(repo.main, 'fetch', '-q', 'origin');

    const added = await runJsonIn<{
      name: string;
      path: string;
      branch: string;
      head: string;
      created: boolean;
    }>(['worktree', 'add', '03a-foundation'], { cwd: repo.main });
    expect(added.exitCode).toBe(0);
    expect(added.json).toMatchObject({
      name: '03a-foundation',
      path: path.join(repo.worktreeRoot, '03a-foundation'),
      branch: 'feature/t/03a-foundation',
      head: remoteHead,
      created: true,
    });
    // The new branch must not track origin/main, or a plain `git push` would go to main.
    const upstream = await runIn(['-C', added.json.path, 'config'], { cwd: repo.main });
    expect(upstream.exitCode).toBe(0);
    expect(
      await git(repo.main, 'config', '--get-regexp', '^branch\\.feature/t/03a-foundation\\.').catch(
        () => '',
      ),
    ).toBe('');

    // From a subdirectory of the linked worktree, the same list, with the same config.
    writeFile(added.json.path, 'pkg/deep/file.go', 'package deep\n');
    const list = await runJsonIn<{ worktrees: WorktreeJson[] }>(['worktree', 'list'], {
      cwd: path.join(added.json.path, 'pkg', 'deep'),
    });
    expect(list.exitCode).toBe(0);
    expect(list.json.worktrees.map((w) => [w.name, w.main, w.dirty])).toEqual([
      ['repo', true, true], // .tmc-orch.json is untracked in the main worktree
      ['03a-foundation', false, true],
    ]);
    expect(list.json.worktrees[1]).toMatchObject({
      branch: 'feature/t/03a-foundation',
      locked: null,
      prunable: null,
    });
  });

  it('checks out an existing branch, and --from starts a new one elsewhere', async () => {
    const repo = await makeRepo();
    await git(repo.main, 'branch', 'existing');
    const tagged = await commitFiles(repo.main, { 'a.txt': '1\n' }, 'a');
    await git(repo.main, 'tag', 'v1');
    await commitFiles(repo.main, { 'b.txt': '2\n' }, 'b');

    const existing = await runJsonIn<{ created: boolean; branch: string }>(
      ['worktree', 'add', 'ex', '--branch', 'existing'],
      { cwd: repo.main },
    );
    expect(existing.json).toMatchObject({ created: false, branch: 'existing' });

    const fromTag = await runJsonIn<{ head: string; from: string }>(
      ['worktree', 'add', 'old', '--from', 'v1'],
      {
        cwd: repo.main,
      },
    );
    expect(fromTag.json).toMatchObject({ head: tagged, from: 'v1' });

    const busy = await runIn(['worktree', 'add', 'again', '--branch', 'existing'], {
      cwd: repo.main,
    });
    expect(busy.exitCode).toBe(1);
    expect(busy.stderr).toContain('already checked out in worktree ex');

    const dup = await runIn(['worktree', 'add', 'ex'], { cwd: repo.main });
    expect(dup.exitCode).toBe(1);
    expect(dup.stderr).toContain('already exists');
  });

  it('an unknown --from, revision or --base names the near branch or tag', async () => {
    const repo = await makeRepo();
    await git(repo.main, 'tag', 'v1.0');
    const from = await runIn(['worktree', 'add', 'x', '--from', 'mian'], { cwd: repo.main });
    expect(from.exitCode).toBe(2);
    expect(from.stderr).toContain('--from "mian" names no commit; did you mean main?');
    const rev = await runIn(['lines', 'v1.1'], { cwd: repo.main });
    expect(rev.exitCode).toBe(2);
    expect(rev.stderr).toContain('did you mean v1.0?');
    const base = await runIn(['lines', '--base', 'mainn'], { cwd: repo.main });
    expect(base.exitCode).toBe(2);
    expect(base.stderr).toContain('did you mean main?');
  });

  it.each([
    [['../../x'], 'invalid worktree name'],
    [['--', '-rf'], 'invalid worktree name'],
    [['$(id)'], 'invalid worktree name'],
    [['a;b'], 'invalid worktree name'],
    [['x.lock'], 'invalid worktree name'],
    [['a/b'], 'invalid worktree name'],
    [['x'.repeat(65)], 'longer than 64'],
    [['ok', '--branch', 'bad..branch'], 'invalid branch name'],
    [['ok', '--branch', '-D'], 'invalid branch name'],
    [['ok', '--branch', '@'], 'invalid branch name'],
    [['ok', '--from', 'no-such-ref'], '--from'],
    [['ok', '--from', '--output=/tmp/pwned'], '--from'],
  ])('worktree add %j: exit 2, one line, nothing created', async (args, message) => {
    const repo = await makeRepo();
    const before = await snapshot(repo.main, repo.root);
    const result = await runIn(['worktree', 'add', ...args], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(await snapshot(repo.main, repo.root)).toEqual(before);
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('--branch @{-1} is refused as a name, not expanded to the branch checked out before', async () => {
    const repo = await makeRepo();
    await git(repo.main, 'checkout', '-q', '-b', 'previous');
    await git(repo.main, 'checkout', '-q', 'main');
    const before = await snapshot(repo.main, repo.root);
    const result = await runIn(['worktree', 'add', 'ok', '--branch', '@{-1}'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('invalid branch name');
    expect(await snapshot(repo.main, repo.root)).toEqual(before);
  });

  it('refuses a symlink planted where the worktree would go', async () => {
    const repo = await makeRepo();
    mkdirSync(repo.worktreeRoot);
    const outside = path.join(repo.root, 'elsewhere');
    mkdirSync(outside);
    symlinkSync(outside, path.join(repo.worktreeRoot, 'evil'));
    const result = await runIn(['worktree', 'add', 'evil'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('outside the worktree root');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('remove refuses uncommitted or untracked work, keeps it, and --force removes', async () => {
    const repo = await makeRepo();
    const { json } = await runJsonIn<{ path: string }>(['worktree', 'add', 'w1'], {
      cwd: repo.main,
    });
    writeFile(json.path, 'notes.txt', 'precious\n');

    const refused = await runJsonIn(['worktree', 'remove', 'w1'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('1 untracked');
    expect(refused.json).toMatchObject({ error: { code: 'refused', exitCode: 1 } });
    expect(existsSync(path.join(json.path, 'notes.txt'))).toBe(true);

    writeFile(json.path, 'README.md', 'edited\n');
    const again = await runIn(['worktree', 'remove', 'w1'], { cwd: repo.main });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('1 unstaged');

    const forced = await runJsonIn<{ removed: boolean; branchDeleted: boolean }>(
      ['worktree', 'remove', 'w1', '--force'],
      {
        cwd: repo.main,
      },
    );
    expect(forced.exitCode).toBe(0);
    expect(forced.json).toMatchObject({ removed: true, branchDeleted: false });
    expect(existsSync(json.path)).toBe(false);
    expect(await git(repo.main, 'branch', '--list', 'w1')).toContain('w1');
  });

  it('--delete-branch deletes a merged branch and refuses an unmerged one before touching anything', async () => {
    const repo = await makeRepo();
    const merged = await runJsonIn<{ path: string }>(['worktree', 'add', 'merged'], {
      cwd: repo.main,
    });
    const done = await runJsonIn<{ branchDeleted: boolean }>(
      ['worktree', 'remove', 'merged', '--delete-branch'],
      {
        cwd: repo.main,
      },
    );
    expect(done.json.branchDeleted).toBe(true);
    expect(existsSync(merged.json.path)).toBe(false);
    expect(await git(repo.main, 'branch', '--list', 'merged')).toBe('');

    const open = await runJsonIn<{ path: string }>(['worktree', 'add', 'open'], { cwd: repo.main });
    await commitFiles(open.json.path, { 'work.txt': 'unmerged\n' }, 'work');
    const refused = await runIn(['worktree', 'remove', 'open', '--delete-branch'], {
      cwd: repo.main,
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('not merged into main');
    expect(existsSync(open.json.path)).toBe(true);
    expect(await git(repo.main, 'branch', '--list', 'open')).toContain('open');
  });

  it('remove: unknown name and the main worktree are exit 2', async () => {
    const repo = await makeRepo();
    const unknown = await runIn(['worktree', 'remove', 'nope'], { cwd: repo.main });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no worktree named "nope"');
    const main = await runIn(['worktree', 'remove', 'repo'], { cwd: repo.main });
    expect(main.exitCode).toBe(2);
    expect(main.stderr).toContain('main worktree');
  });

  it('prune reports worktrees whose folders are gone', async () => {
    const repo = await makeRepo();
    const { json } = await runJsonIn<{ path: string }>(['worktree', 'add', 'gone'], {
      cwd: repo.main,
    });
    await runJsonIn(['worktree', 'add', 'kept'], { cwd: repo.main });
    const { rmSync } = await import('node:fs');
    rmSync(json.path, { recursive: true, force: true });

    const list = await runJsonIn<{ worktrees: WorktreeJson[] }>(['worktree', 'list'], {
      cwd: repo.main,
    });
    expect(list.json.worktrees.find((w) => w.name === 'gone')).toMatchObject({
      dirty: null,
      prunable: expect.any(String),
    });

    const pruned = await runJsonIn<{ pruned: { name: string }[] }>(['worktree', 'prune'], {
      cwd: repo.main,
    });
    expect(pruned.json.pruned.map((p) => p.name)).toEqual(['gone']);
    const after = await runJsonIn<{ worktrees: WorktreeJson[] }>(['worktree', 'list'], {
      cwd: repo.main,
    });
    expect(after.json.worktrees.map((w) => w.name)).toEqual(['repo', 'kept']);
  });
});

describe('worktree remove of a worktree whose folder is gone', () => {
  it('drops that record only, not every missing worktree', async () => {
    const repo = await makeRepo();
    const { rmSync } = await import('node:fs');
    const one = await runJsonIn<{ path: string }>(['worktree', 'add', 'one'], { cwd: repo.main });
    const two = await runJsonIn<{ path: string }>(['worktree', 'add', 'two'], { cwd: repo.main });
    rmSync(one.json.path, { recursive: true, force: true });
    rmSync(two.json.path, { recursive: true, force: true });
    const removed = await runJsonIn(['worktree', 'remove', 'one'], { cwd: repo.main });
    expect(removed.exitCode).toBe(0);
    const list = await runJsonIn<{ worktrees: WorktreeJson[] }>(['worktree', 'list'], {
      cwd: repo.main,
    });
    expect(list.json.worktrees.map((w) => w.name)).toEqual(['repo', 'two']);
  });
});

describe('worktree remove and ignored files', () => {
  /** A worktree `w1` whose .gitignore (committed on main) ignores .env, notes/ and node_modules/. */
  async function withIgnored() {
    const repo = await makeRepo();
    await commitFiles(
      repo.main,
      { '.gitignore': '.env\nnotes/\nnode_modules/\n*.log\n' },
      'ignore',
    );
    const { json } = await runJsonIn<{ path: string }>(['worktree', 'add', 'w1'], {
      cwd: repo.main,
    });
    return { repo, wt: json.path };
  }

  it('refuses ignored files that are not disposable, lists them and keeps them; --force removes', async () => {
    const { repo, wt } = await withIgnored();
    writeFile(wt, '.env', 'SECRET=1\n');
    writeFile(wt, 'notes/today.md', 'precious\n');
    writeFile(wt, 'node_modules/x/index.js', 'module.exports = 1;\n');
    const before = await snapshot(repo.main, repo.root);

    const refused = await runJsonIn<{ error: { code: string; ignored: string[] } }>(
      ['worktree', 'remove', 'w1'],
      { cwd: repo.main },
    );
    expect(refused.exitCode, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('.env');
    expect(refused.stderr).toContain('notes/');
    expect(refused.stderr).not.toContain('node_modules');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr).toContain('worktrees.disposable');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.json.error).toMatchObject({ code: 'refused', ignored: ['.env', 'notes/'] });
    expect(existsSync(path.join(wt, '.env'))).toBe(true);
    expect(existsSync(path.join(wt, 'notes', 'today.md'))).toBe(true);
    expect(existsSync(path.join(wt, 'node_modules', 'x', 'index.js'))).toBe(true);
    expect(await snapshot(repo.main, repo.root)).toEqual(before);

    const forced = await runIn(['worktree', 'remove', 'w1', '--force'], { cwd: repo.main });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(existsSync(wt)).toBe(false);
  });

  it('lets ignored files matching worktrees.disposable go without --force (default node_modules/)', async () => {
    const { repo, wt } = await withIgnored();
    writeFile(wt, 'node_modules/x/index.js', 'module.exports = 1;\n');
    writeFile(wt, 'pkg/node_modules/y/index.js', 'module.exports = 2;\n');
    const removed = await runIn(['worktree', 'remove', 'w1'], { cwd: repo.main });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(existsSync(wt)).toBe(false);

    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { disposable: ['node_modules/', '*.log'] } }),
    );
    const again = await runJsonIn<{ path: string }>(['worktree', 'add', 'w2'], { cwd: repo.main });
    writeFile(again.json.path, 'logs/build.log', 'noise\n');
    writeFile(again.json.path, 'debug.log', 'noise\n');
    writeFile(again.json.path, 'notes/keep.md', 'mine\n');
    const refused = await runIn(['worktree', 'remove', 'w2'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('notes/');
    expect(refused.stderr).not.toContain('build.log');
    expect(refused.stderr).not.toContain('debug.log');
    rmSync(path.join(again.json.path, 'notes'), { recursive: true });
    const done = await runIn(['worktree', 'remove', 'w2'], { cwd: repo.main });
    expect(done.exitCode, done.stderr).toBe(0);
  });

  it('an invalid worktrees.disposable is a config error: exit 2 naming the key', async () => {
    const repo = await makeRepo();
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { disposable: [''] } }),
    );
    const result = await runIn(['worktree', 'list'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('worktrees.disposable.0');
  });
});

describe('worktree remove of a worktree whose .git file is broken', () => {
  it('refuses with the repair command (exit 1), keeps every file, and works once repaired', async () => {
    const repo = await makeRepo();
    const paths: Record<string, string> = {};
    for (const name of ['a', 'b', 'c']) {
      const { json } = await runJsonIn<{ path: string }>(['worktree', 'add', name], {
        cwd: repo.main,
      });
      paths[name] = json.path;
      writeFile(json.path, 'work.txt', `work in ${name}\n`);
    }
    const [a, b, c] = [paths.a, paths.b, paths.c] as [string, string, string];
    writeFileSync(path.join(a, '.git'), 'gitdir: /nonexistent/gitdir\n');
    rmSync(path.join(b, '.git'));
    rmSync(c, { recursive: true });
    writeFileSync(c, 'a file where the worktree was\n');
    for (const [name, where, fix] of [
      ['a', a, 'worktree repair'],
      ['b', b, 'worktree repair'],
      ['c', c, 'worktree prune'],
    ] as const) {
      for (const force of [[], ['--force']]) {
        const result = await runJsonIn(['worktree', 'remove', name, ...force], { cwd: repo.main });
        expect(result.exitCode, `${name} ${force.join('')}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toContain(fix);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
      expect(existsSync(where)).toBe(true);
    }
    expect(readFileSync(path.join(a, 'work.txt'), 'utf8')).toBe('work in a\n');
    expect(readFileSync(path.join(b, 'work.txt'), 'utf8')).toBe('work in b\n');
    expect(readFileSync(c, 'utf8')).toBe('a file where the worktree was\n');

    // git repairs them, and still exits 1 for having found them broken.
    await execa('git', ['worktree', 'repair', a, b], { cwd: repo.main, reject: false });
    const refused = await runIn(['worktree', 'remove', 'a'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('uncommitted work');
    rmSync(path.join(a, 'work.txt'));
    const removed = await runIn(['worktree', 'remove', 'a'], { cwd: repo.main });
    expect(removed.exitCode, removed.stderr).toBe(0);
  });
});

describe('worktree remove and work git status does not show', () => {
  it('refuses edits hidden by skip-worktree or assume-unchanged, keeps them; --force removes', async () => {
    const repo = await makeRepo();
    await commitFiles(repo.main, { 'local.cfg': 'shared\n', 'other.cfg': 'shared\n' }, 'cfg');
    const { json } = await runJsonIn<{ path: string }>(['worktree', 'add', 'w1'], {
      cwd: repo.main,
    });
    const wt = json.path;
    writeFile(wt, 'local.cfg', 'my local edit\n');
    await git(wt, 'update-index', '--skip-worktree', 'local.cfg');
    writeFile(wt, 'other.cfg', 'another edit\n');
    await git(wt, 'update-index', '--assume-unchanged', 'other.cfg');
    expect(await git(wt, 'status', '--porcelain')).toBe('');
    const before = await snapshot(repo.main, repo.root);

    const refused = await runJsonIn<{ error: { code: string; hidden: string[] } }>(
      ['worktree', 'remove', 'w1'],
      { cwd: repo.main },
    );
    expect(refused.exitCode, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('local.cfg');
    expect(refused.stderr).toContain('other.cfg');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.json.error).toMatchObject({
      code: 'refused',
      hidden: ['local.cfg', 'other.cfg'],
    });
    expect(await snapshot(repo.main, repo.root)).toEqual(before);
    expect(readFileSync(path.join(wt, 'local.cfg'), 'utf8')).toBe('my local edit\n');

    // An unchanged flagged file (a sparse checkout's, or one edited back) is not work.
    writeFile(wt, 'local.cfg', 'shared\n');
    writeFile(wt, 'other.cfg', 'shared\n');
    rmSync(path.join(wt, 'README.md'));
    await git(wt, 'update-index', '--skip-worktree', 'README.md');
    const removed = await runIn(['worktree', 'remove', 'w1'], { cwd: repo.main });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(existsSync(wt)).toBe(false);

    const again = await runJsonIn<{ path: string }>(['worktree', 'add', 'w2'], { cwd: repo.main });
    writeFile(again.json.path, 'local.cfg', 'edit\n');
    await git(again.json.path, 'update-index', '--skip-worktree', 'local.cfg');
    const forced = await runIn(['worktree', 'remove', 'w2', '--force'], { cwd: repo.main });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(existsSync(again.json.path)).toBe(false);
  });

  it('refuses a detached HEAD whose commits no branch, tag or other worktree holds', async () => {
    const repo = await makeRepo();
    const { json } = await runJsonIn<{ path: string }>(['worktree', 'add', 'w1'], {
      cwd: repo.main,
    });
    const wt = json.path;
    await git(wt, 'checkout', '-q', '--detach');
    const commit = await commitFiles(wt, { 'new.txt': 'precious\n' }, 'detached work');
    const before = await snapshot(repo.main, repo.root);

    const refused = await runJsonIn<{ error: { code: string; head: string } }>(
      ['worktree', 'remove', 'w1'],
      { cwd: repo.main },
    );
    expect(refused.exitCode, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(commit.slice(0, 10));
    expect(refused.stderr).toContain('git -C');
    expect(refused.stderr).toContain('--force');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.json.error).toMatchObject({ code: 'refused', head: commit });
    expect(await snapshot(repo.main, repo.root)).toEqual(before);

    // Once a branch holds the commit, the worktree goes.
    await git(repo.main, 'branch', 'kept', commit);
    const removed = await runIn(['worktree', 'remove', 'w1'], { cwd: repo.main });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(existsSync(wt)).toBe(false);

    // A detached HEAD on a commit the base holds is no work of its own.
    const plain = await runJsonIn<{ path: string }>(['worktree', 'add', 'w2'], { cwd: repo.main });
    await git(plain.json.path, 'checkout', '-q', '--detach');
    const gone = await runIn(['worktree', 'remove', 'w2'], { cwd: repo.main });
    expect(gone.exitCode, gone.stderr).toBe(0);

    const lost = await runJsonIn<{ path: string }>(['worktree', 'add', 'w3'], { cwd: repo.main });
    await git(lost.json.path, 'checkout', '-q', '--detach');
    await commitFiles(lost.json.path, { 'x.txt': 'x\n' }, 'x');
    const forced = await runIn(['worktree', 'remove', 'w3', '--force'], { cwd: repo.main });
    expect(forced.exitCode, forced.stderr).toBe(0);
  });
});
