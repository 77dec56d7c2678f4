import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { git, makeRepo, tempDir } from '../helpers/repo.js';
import { runIn } from '../helpers/run.js';

// Spawned: a real bash runs the completion function, which calls the built binary.
describe('completion in a real shell', () => {
  it('the bash script completes through a real bash', async () => {
    const repo = await makeRepo();
    await runIn(['worktree', 'add', 'feature-a'], { cwd: repo.main });
    const bin = tempDir('tmc-orch-bin-');
    symlinkSync(BIN, path.join(bin, 'tmc-orch'));
    const script = [
      'eval "$(tmc-orch completion bash)"',
      'COMP_WORDS=(tmc-orch worktree rem); COMP_CWORD=2; _tmc_orch_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
      'COMP_WORDS=(tmc-orch switch ""); COMP_CWORD=2; _tmc_orch_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const result = await execa('bash', ['--noprofile', '--norc', '-c', script], {
      cwd: repo.main,
      env: { PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':') },
      extendEnv: false,
    });
    expect(result.stdout.split('\n')).toEqual(['remove', 'feature-a', 'repo']);
  });

  it('bash gets each candidate quoted as one word: names never glob or run a command', async () => {
    const repo = await makeRepo();
    await runIn(['worktree', 'add', 'feature-a'], { cwd: repo.main });
    // Folders plain git accepts but tmc-orch never calls worktrees, and a branch git accepts.
    await git(repo.main, 'worktree', 'add', '-q', '-b', 'w-star', path.join(repo.root, 'a*'));
    await git(repo.main, 'worktree', 'add', '-q', '-b', 'w-sub', path.join(repo.root, 'b $(id)'));
    await git(repo.main, 'branch', 'x$(touch${IFS}PWNED)');
    writeFileSync(path.join(repo.main, 'aXb'), '');
    const bin = tempDir('tmc-orch-bin-');
    symlinkSync(BIN, path.join(bin, 'tmc-orch'));
    const script = [
      'eval "$(tmc-orch completion bash)"',
      'COMP_WORDS=(tmc-orch switch ""); COMP_CWORD=2; _tmc_orch_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
      'echo ---',
      'COMP_WORDS=(tmc-orch worktree add y --branch x); COMP_CWORD=5; _tmc_orch_complete',
      // What bash puts on the command line, read back as the shell reads it when run.
      'eval "set -- ${COMPREPLY[0]}"',
      'printf "%s\\n" "$#" "$1"',
    ].join('\n');
    const result = await execa('bash', ['--noprofile', '--norc', '-c', script], {
      cwd: repo.main,
      env: { PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':') },
      extendEnv: false,
    });
    expect(result.stdout.split('\n')).toEqual([
      'feature-a',
      'repo',
      '---',
      '1',
      'x$(touch${IFS}PWNED)',
    ]);
    expect(existsSync(path.join(repo.main, 'PWNED'))).toBe(false);
  });
});
