import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { git, makeRepo } from '../helpers/repo.js';

/** The CLI contract of issue 2: exit codes and one JSON document on every path. */
describe('CLI contract', () => {
  it('a git failure is exit 70, and the JSON error says 70 too (git exit code apart)', async () => {
    const repo = await makeRepo();
    const added = await runJson<{ path: string }>(['worktree', 'add', 'w1'], { cwd: repo.main });
    // A damaged index: git status in that worktree fails with exit 128. (A damaged .git file is
    // a refusal naming git worktree repair, not a git failure.)
    const gitDir = (await git(added.json.path, 'rev-parse', '--absolute-git-dir')).trim();
    writeFileSync(path.join(gitDir, 'index'), 'garbage\n');
    const result = await runJson<{
      error: { code: string; exitCode: number; gitExitCode: number };
    }>(['worktree', 'remove', 'w1'], { cwd: repo.main });
    expect(result.exitCode).toBe(70);
    expect(result.json.error).toMatchObject({ code: 'git', exitCode: 70, gitExitCode: 128 });
  });
});

describe('commander usage errors', () => {
  it('a missing subcommand is bad usage: exit 2, and in --json mode one JSON error', async () => {
    const repo = await makeRepo();
    const result = await runJson<{ error: { code: string; exitCode: number } }>(['worktree'], {
      cwd: repo.main,
    });
    expect(result.exitCode).toBe(2);
    expect(result.json.error).toMatchObject({ code: 'usage', exitCode: 2 });
    expect(result.stderr).toContain('add');

    const asked = await runCli(['help', 'worktree'], { cwd: repo.main });
    expect(asked.exitCode).toBe(0);
    expect(asked.stdout).toContain('remove');
  });

  it('--json after "--" is an operand, not the flag', async () => {
    const repo = await makeRepo();
    const result = await runCli(['log', '--bogus', '--', 'about', '--json'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown option '--bogus'");
  });
});
