import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, makeRepo } from '../helpers/repo.js';

// Spawned: the behaviour under test is "never a hang", and only a child process can be stopped
// by a timeout when it does hang on a FIFO.
describe('worktree add with a .worktreeinclude that is not a regular file', () => {
  it('a FIFO or a folder there is exit 2 naming it, never a hang, and nothing is created', async () => {
    const repo = await makeRepo();
    const include = path.join(repo.main, '.worktreeinclude');
    const cases: [string, () => Promise<void>][] = [
      ['a FIFO', () => execa('mkfifo', [include]).then(() => undefined)],
      ['a folder', async () => mkdirSync(include)],
    ];
    for (const [kind, plant] of cases) {
      await plant();
      const result = await runCli(['worktree', 'add', 'w1'], { cwd: repo.main, timeout: 20_000 });
      expect(result.exitCode, `${kind}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`${include}: it is ${kind}, not a regular file`);
      expect(result.stderr).toContain('--no-copy');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(path.join(repo.worktreeRoot, 'w1'))).toBe(false);
      expect(await git(repo.main, 'branch', '--list', 'w1')).toBe('');
      // --no-copy does not read it.
      const skipped = await runCli(['worktree', 'add', 'w2', '--no-copy'], {
        cwd: repo.main,
        timeout: 20_000,
      });
      expect(skipped.exitCode, skipped.stderr).toBe(0);
      await git(repo.main, 'worktree', 'remove', path.join(repo.worktreeRoot, 'w2'));
      await git(repo.main, 'branch', '-q', '-D', 'w2');
      rmSync(include, { recursive: true });
    }
  });
});

describe('worktree add with a postCreate that leaves a process running', () => {
  it('returns once the command exits, though what it started keeps the output open', async () => {
    const repo = await makeRepo();
    // The command starts a process that outlives it and holds its stdout and stderr for a minute.
    const script = [
      "const child = require('child_process').spawn(process.execPath,",
      "  ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit', detached: true });",
      'child.unref();',
      "console.log('started ' + child.pid);",
    ].join('\n');
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ worktrees: { postCreate: [[process.execPath, '-e', script]] } }),
    );
    const result = await runCli(['worktree', 'add', 'w1'], { cwd: repo.main, timeout: 20_000 });
    const pid = Number(/started (\d+)/.exec(result.stderr)?.[1]);
    if (pid > 0) process.kill(pid);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(pid).toBeGreaterThan(0);
    expect(existsSync(path.join(repo.worktreeRoot, 'w1'))).toBe(true);
  });

  it("shows no more of what the left process writes once its command's turn is over", async () => {
    const repo = await makeRepo();
    // The first command leaves a process that writes a line half a second later; the second
    // command is still running then.
    const late = [
      "require('child_process').spawn(process.execPath,",
      "  ['-e', 'setTimeout(() => console.log(\"late line\"), 500)'], { stdio: 'inherit', detached: true }).unref();",
      "console.log('first');",
    ].join('\n');
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({
        worktrees: {
          postCreate: [
            [process.execPath, '-e', late],
            [process.execPath, '-e', "setTimeout(() => console.log('second'), 1500)"],
          ],
        },
      }),
    );
    const result = await runCli(['worktree', 'add', 'w1'], { cwd: repo.main, timeout: 20_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain('first');
    expect(result.stderr).toContain('second');
    expect(result.stderr).not.toContain('late line');
  });
});
