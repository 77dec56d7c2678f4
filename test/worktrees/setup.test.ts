import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { commitFiles, git, makeRepo, writeFile } from '../helpers/repo.js';

interface AddJson {
  path: string;
  copy: { copied: string[]; skipped: { path: string; reason: string }[] } | null;
  postCreate: { command: string[]; status: string; exitCode?: number | null }[];
}

/** main with ignored .env files at two depths, an ignored folder inside an ignored folder, and tracked config. */
async function repoWithLocalFiles() {
  const repo = await makeRepo();
  const { main } = repo;
  await commitFiles(
    main,
    {
      '.gitignore': '.env\nlocal/\n',
      'apps/web/.gitignore': 'secrets/\n',
      'config/app.json': '{"tracked": true}\n',
      '.worktreeinclude': '.env\napps/web/secrets/\nlocal/\nconfig/\nnotes.txt\n',
    },
    'layout',
  );
  writeFile(main, '.env', 'ROOT=1\n');
  writeFile(main, 'apps/web/.env', 'WEB=1\n');
  writeFile(main, 'apps/web/secrets/deep/key.pem', 'KEY\n');
  writeFile(main, 'local/cache/nested/data.bin', 'DATA\n');
  // Untracked but not ignored: work of the main worktree, not setup.
  writeFile(main, 'notes.txt', 'mine\n');
  // Tracked, and changed in main: the pattern config/ must not copy it over the checkout.
  writeFile(main, 'config/app.json', '{"tracked": "edited in main"}\n');
  return repo;
}

describe('worktree add: setup on create', () => {
  it('copies only ignored files that .worktreeinclude names, nested folders included', async () => {
    const repo = await repoWithLocalFiles();
    const added = await runJsonIn<AddJson>(['worktree', 'add', 'w1'], { cwd: repo.main });
    expect(added.exitCode).toBe(0);
    const wt = added.json.path;
    expect(added.json.copy?.copied).toEqual([
      '.env',
      'apps/web/.env',
      'apps/web/secrets/deep/key.pem',
      'local/cache/nested/data.bin',
    ]);
    expect(readFileSync(path.join(wt, 'apps/web/secrets/deep/key.pem'), 'utf8')).toBe('KEY\n');
    expect(readFileSync(path.join(wt, 'config/app.json'), 'utf8')).toBe('{"tracked": true}\n');
    expect(existsSync(path.join(wt, 'notes.txt'))).toBe(false);
    // The copies are ignored there too: the new worktree starts clean.
    expect(await git(wt, 'status', '--porcelain')).toBe('');
  });

  it('copies worktrees.copy globs too, never overwrites, and --no-copy copies nothing', async () => {
    const repo = await repoWithLocalFiles();
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { copy: ['*.pem'] } }),
    );
    await git(repo.main, 'rm', '-q', '--cached', '.worktreeinclude');
    await git(repo.main, 'commit', '-q', '-m', 'untrack include');
    writeFile(repo.main, '.worktreeinclude', '');
    // A branch that already has an .env of its own (committed there): it is kept.
    await git(repo.main, 'branch', 'has-env');
    const other = path.join(repo.root, 'tmp-has-env');
    await git(repo.main, 'worktree', 'add', '-q', other, 'has-env');
    writeFile(other, '.env', 'OWN=1\n');
    await git(other, 'add', '-f', '.env');
    await git(other, 'commit', '-q', '-m', 'own env');
    await git(repo.main, 'worktree', 'remove', other);

    const plain = await runJsonIn<AddJson>(['worktree', 'add', 'globbed'], { cwd: repo.main });
    expect(plain.json.copy?.copied).toEqual(['apps/web/secrets/deep/key.pem']);

    writeFile(repo.main, '.worktreeinclude', '.env\n');
    const kept = await runJsonIn<AddJson>(['worktree', 'add', 'has-env', '--branch', 'has-env'], {
      cwd: repo.main,
    });
    expect(kept.exitCode).toBe(0);
    expect(kept.json.copy?.skipped).toContainEqual({ path: '.env', reason: 'already there' });
    expect(readFileSync(path.join(kept.json.path, '.env'), 'utf8')).toBe('OWN=1\n');

    const none = await runJsonIn<AddJson>(['worktree', 'add', 'bare', '--no-copy'], {
      cwd: repo.main,
    });
    expect(none.json.copy).toBeNull();
    expect(existsSync(path.join(none.json.path, '.env'))).toBe(false);
  });

  it('never creates a folder outside the worktree through a symlink the branch tracks', async () => {
    const repo = await makeRepo();
    const outside = path.join(repo.root, 'outside');
    mkdirSync(outside);
    await commitFiles(repo.main, { '.gitignore': '*.env\n' }, 'ignore');
    await git(repo.main, 'checkout', '-q', '-b', 'linked');
    symlinkSync(outside, path.join(repo.main, 'cfg'));
    await git(repo.main, 'add', 'cfg');
    await git(repo.main, 'commit', '-q', '-m', 'cfg is a link');
    await git(repo.main, 'checkout', '-q', 'main');
    writeFile(repo.main, 'cfg/deep/er/b.env', 'B=1\n');
    writeFile(repo.main, '.worktreeinclude', '*.env\n');
    const added = await runJsonIn<AddJson>(['worktree', 'add', 'w1', '--from', 'linked'], {
      cwd: repo.main,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json.copy?.skipped).toEqual([
      { path: 'cfg/deep/er/b.env', reason: 'its folder leads out of the worktree' },
    ]);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('skips a file whose folder is a file in the new worktree, and still runs postCreate', async () => {
    const repo = await makeRepo();
    await commitFiles(repo.main, { '.gitignore': '*.env\n' }, 'ignore');
    await git(repo.main, 'checkout', '-q', '-b', 'filey');
    await commitFiles(repo.main, { build: 'a file here\n' }, 'build is a file');
    await git(repo.main, 'checkout', '-q', 'main');
    writeFile(repo.main, 'build/x.env', 'X=1\n');
    writeFile(repo.main, 'a.env', 'A=1\n');
    writeFile(repo.main, '.worktreeinclude', '*.env\n');
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { postCreate: [[process.execPath, '-e', '']] } }),
    );
    const added = await runJsonIn<AddJson>(['worktree', 'add', 'w1', '--from', 'filey'], {
      cwd: repo.main,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json.copy?.copied).toEqual(['a.env']);
    expect(added.json.copy?.skipped).toEqual([
      { path: 'build/x.env', reason: 'its folder is not a folder in the worktree' },
    ]);
    expect(added.json.postCreate.map((s) => s.status)).toEqual(['ok']);
  });

  it('runs postCreate commands in the new worktree with their output streamed', async () => {
    const repo = await makeRepo();
    const script =
      'require("fs").writeFileSync("made.txt", process.cwd()); console.log("hello from setup")';
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { postCreate: [[process.execPath, '-e', script]] } }),
    );
    const result = await runIn(['worktree', 'add', 'w1'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('hello from setup');
    const wt = path.join(repo.worktreeRoot, 'w1');
    expect(readFileSync(path.join(wt, 'made.txt'), 'utf8')).toBe(wt);
  });

  it('a failing postCreate command is exit 1 naming it; the worktree stays and later ones do not run', async () => {
    const repo = await makeRepo();
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({
        worktrees: {
          postCreate: [
            [process.execPath, '-e', 'console.error("broken install"); process.exit(3)'],
            [process.execPath, '-e', 'require("fs").writeFileSync("second.txt", "")'],
          ],
        },
      }),
    );
    const result = await runIn(['worktree', 'add', 'w1'], { cwd: repo.main });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('broken install');
    expect(result.stderr).toMatch(/postCreate command failed \(exit code 3\): .*node/);
    const wt = path.join(repo.worktreeRoot, 'w1');
    expect(existsSync(wt)).toBe(true);
    expect(existsSync(path.join(wt, 'second.txt'))).toBe(false);

    const json = await runJsonIn<AddJson>(['worktree', 'add', 'w2'], { cwd: repo.main });
    expect(json.exitCode).toBe(1);
    expect(json.json.postCreate.map((s) => s.status)).toEqual(['failed', 'not-run']);
    // The command's own output, on stderr under --json too: why it failed.
    expect(json.stderr).toContain('broken install');

    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { postCreate: [['no-such-program-tmc']] } }),
    );
    const missing = await runIn(['worktree', 'add', 'w3'], { cwd: repo.main });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('no-such-program-tmc');
  });

  it('a postCreate entry that is not an argument array is bad config (exit 2)', async () => {
    const repo = await makeRepo();
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { postCreate: ['npm ci'] } }),
    );
    const result = await runIn(['worktree', 'add', 'w1'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('worktrees.postCreate.0');
    expect(existsSync(path.join(repo.worktreeRoot, 'w1'))).toBe(false);
  });
});
