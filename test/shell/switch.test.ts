import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runIn } from '../helpers/run.js';
import { makeRepo, tempDir } from '../helpers/repo.js';

describe('going to a worktree from a shell', () => {
  it('path prints the absolute path; an unknown name is exit 2 with did you mean', async () => {
    const repo = await makeRepo();
    expect((await runIn(['worktree', 'add', 'feature-x'], { cwd: repo.main })).exitCode).toBe(0);
    const found = await runIn(['path', 'feature-x'], { cwd: repo.main });
    expect(found).toMatchObject({
      exitCode: 0,
      stdout: `${path.join(repo.worktreeRoot, 'feature-x')}\n`,
    });
    const typo = await runIn(['path', 'featur-x'], { cwd: repo.main });
    expect(typo.exitCode).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('did you mean feature-x?');
  });

  it('switch without the function prints the path and how to install the function', async () => {
    const repo = await makeRepo();
    await runIn(['worktree', 'add', 'w1'], { cwd: repo.main });
    const result = await runIn(['switch', 'w1'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`${path.join(repo.worktreeRoot, 'w1')}\n`);
    expect(result.stderr).toContain('shell-init');
  });

  it('shell-init prints a function for each shell and refuses an unknown shell', async () => {
    const cwd = tempDir();
    for (const shell of ['bash', 'zsh']) {
      const out = await runIn(['shell-init', shell], { cwd });
      expect(out.stdout).toContain('tmc-orch() {');
      // It parses as shell code.
      expect((await execa('bash', ['-n'], { input: out.stdout, reject: false })).exitCode).toBe(0);
    }
    const fish = await runIn(['shell-init', 'fish'], { cwd });
    expect(fish.stdout).toContain('function tmc-orch');
    // fish's set returns the status of the last command of its substitution: a pipe there (to
    // string collect) answered 0 for a switch that failed after printing a path, and cd'd anyway.
    expect(fish.stdout).toMatch(
      /set -l dir \(env TMC_ORCH_SHELL=1 tmc-orch switch [^|\n]*\); or return \$status/,
    );
    const bad = await runIn(['shell-init', 'tcsh'], { cwd });
    expect(bad.exitCode).toBe(2);
  });
});
