import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { makeRepo, tempDir } from '../helpers/repo.js';

/** A PATH on which `tmc-orch` is the built binary. */
function pathWithBinary(): string {
  const bin = tempDir('tmc-orch-bin-');
  symlinkSync(BIN, path.join(bin, 'tmc-orch'));
  return [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':');
}

async function bash(script: string, cwd: string) {
  return execa('bash', ['--noprofile', '--norc', '-c', script], {
    cwd,
    env: { PATH: pathWithBinary(), HOME: cwd, TMC_AGENT: 'agent-test' },
    extendEnv: false,
    reject: false,
  });
}

describe('going to a worktree from a shell', () => {
  it('path prints the absolute path; an unknown name is exit 2 with did you mean', async () => {
    const repo = await makeRepo();
    expect((await run(['worktree', 'add', 'feature-x'], { cwd: repo.main })).exitCode).toBe(0);
    const found = await run(['path', 'feature-x'], { cwd: repo.main });
    expect(found).toMatchObject({
      exitCode: 0,
      stdout: `${path.join(repo.worktreeRoot, 'feature-x')}\n`,
    });
    const typo = await run(['path', 'featur-x'], { cwd: repo.main });
    expect(typo.exitCode).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toContain('did you mean feature-x?');
  });

  it('switch changes the directory of a real bash through the shell-init function', async () => {
    const repo = await makeRepo();
    expect((await run(['worktree', 'add', 'w1'], { cwd: repo.main })).exitCode).toBe(0);
    const result = await bash(
      [
        'eval "$(tmc-orch shell-init bash)"',
        'tmc-orch switch w1 && pwd',
        'tmc-orch switch -c w2 && pwd',
        'tmc-orch switch nope; echo "exit $?"; pwd',
        'tmc-orch switch repo && pwd',
      ].join('\n'),
      repo.main,
    );
    expect(result.stderr).not.toContain('shell-init bash)" to');
    expect(result.stdout.split('\n')).toEqual([
      path.join(repo.worktreeRoot, 'w1'),
      path.join(repo.worktreeRoot, 'w2'),
      'exit 2',
      path.join(repo.worktreeRoot, 'w2'),
      repo.main,
    ]);
    expect(result.stderr).toContain('no worktree named "nope"');
  });

  it('switch without the function prints the path and how to install the function', async () => {
    const repo = await makeRepo();
    await run(['worktree', 'add', 'w1'], { cwd: repo.main });
    const result = await runCli(['switch', 'w1'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    // execa drops the final newline.
    expect(result.stdout).toBe(path.join(repo.worktreeRoot, 'w1'));
    expect(result.stderr).toContain('shell-init');
  });

  it('shell-init prints a function for each shell and refuses an unknown shell', async () => {
    const cwd = tempDir();
    for (const shell of ['bash', 'zsh']) {
      const out = await run(['shell-init', shell], { cwd });
      expect(out.stdout).toContain('tmc-orch() {');
      // It parses as shell code.
      expect((await execa('bash', ['-n'], { input: out.stdout, reject: false })).exitCode).toBe(0);
    }
    const fish = await run(['shell-init', 'fish'], { cwd });
    expect(fish.stdout).toContain('function tmc-orch');
    const bad = await run(['shell-init', 'tcsh'], { cwd });
    expect(bad.exitCode).toBe(2);
  });
});
