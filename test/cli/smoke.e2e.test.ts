import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/repo.js';

describe('tmc-orch binary', () => {
  it('prints its version and help', async () => {
    const repo = await makeRepo();
    const version = await runCli(['--version'], { cwd: repo.main });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runCli(['--help'], { cwd: repo.main });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('worktree');
  });

  it('exits 2 with one line on an unknown command', async () => {
    const repo = await makeRepo();
    const result = await runCli(['bogus'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--json --version', () => {
  it('prints the version as one JSON document', async () => {
    const repo = await makeRepo();
    const result = await runCli(['--json', '--version'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      name: 'tmc-orch',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });
});
