import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/repo.js';
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
});
