import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { gitWithout } from '../helpers/old-git.js';
import { commitFiles, makeRepo } from '../helpers/repo.js';

// Spawned: the git found on PATH is chosen once per process, so a different git needs a new one.
describe('status with a git older than 2.38', () => {
  it('says conflict forecasts need a newer git, and --no-conflicts still works', async () => {
    const repo = await makeRepo({ remote: true });
    const a = await runJson<{ path: string }>(['worktree', 'add', 'a'], { cwd: repo.main });
    const b = await runJson<{ path: string }>(['worktree', 'add', 'b'], { cwd: repo.main });
    await commitFiles(a.json.path, { 'same.txt': 'a\n' }, 'a');
    await commitFiles(b.json.path, { 'same.txt': 'b\n' }, 'b');
    const bin = await gitWithout(repo.main, ['--write-tree']);
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    const full = await runCli(['status'], { cwd: repo.main, env });
    expect(full.exitCode).toBe(2);
    expect(full.stderr).toMatch(/need git 2\.38 or newer.*--no-conflicts/);
    const quick = await runCli(['status', '--no-conflicts'], { cwd: repo.main, env });
    expect(quick.exitCode).toBe(0);
  });
});
