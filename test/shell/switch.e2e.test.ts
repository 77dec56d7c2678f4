import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { runIn } from '../helpers/run.js';
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

// Spawned: a real bash runs the shell-init function, which calls the built binary.
describe('switch in a real shell', () => {
  it('switch changes the directory of a real bash through the shell-init function', async () => {
    const repo = await makeRepo();
    expect((await runIn(['worktree', 'add', 'w1'], { cwd: repo.main })).exitCode).toBe(0);
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
});
