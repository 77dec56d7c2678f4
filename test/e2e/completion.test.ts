import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { completionRequest } from '../../src/shell/completion.js';
import { BIN } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { git, makeRepo, tempDir } from '../helpers/repo.js';

const complete = async (cwd: string, ...words: string[]) => {
  const result = await run(['__complete', '--', ...words], { cwd });
  expect(result.exitCode).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
};

describe('completion', () => {
  it('commands, subcommands and options come from the commander definitions', () => {
    const program = buildProgram();
    const request = (...words: string[]) => completionRequest(program, words).request;
    const top = request('');
    expect(top.kind).toBe('words');
    // Every visible top-level command, whoever registered it.
    const names = program.commands.map((c) => c.name()).filter((n) => !n.startsWith('__'));
    expect(top.kind === 'words' && top.words.sort()).toEqual(
      names.filter((n) => n !== 'help').sort(),
    );
    expect(request('worktree', '')).toEqual({
      kind: 'words',
      words: ['add', 'list', 'remove', 'clean', 'prune'],
    });
    expect(request('worktree', 'remove', '')).toEqual({ kind: 'worktrees' });
    expect(request('sync', 'a', '')).toEqual({ kind: 'worktrees' });
    expect(request('worktree', 'add', 'x', '--branch', '')).toEqual({ kind: 'branches' });
    expect(request('--agent', '')).toEqual({ kind: 'agents' });
    expect(request('shell-init', '')).toEqual({ kind: 'words', words: ['bash', 'zsh', 'fish'] });
    expect(request('worktree', 'add', '')).toEqual({ kind: 'none' });
    const flags = request('worktree', 'add', '--');
    expect(flags.kind === 'words' && flags.words).toEqual(
      expect.arrayContaining(['--branch', '--no-copy', '--json', '--agent']),
    );
  });

  it('__complete answers worktree, branch and agent names of the repository', async () => {
    const repo = await makeRepo();
    await run(['worktree', 'add', 'feature-a'], { cwd: repo.main });
    await run(['worktree', 'add', 'feature-b'], { cwd: repo.main });
    await git(repo.main, 'branch', 'fix/typo');
    await run(['claim', 'feature-a'], { cwd: repo.main, env: { TMC_AGENT: 'agent-7' } });
    expect(await complete(repo.main, 'claim', 'fea')).toEqual(['feature-a', 'feature-b']);
    expect(await complete(repo.main, 'worktree', 'add', 'x', '--branch', 'fix')).toEqual([
      'fix/typo',
    ]);
    expect(await complete(repo.main, 'claims', '--agent', 'agent-')).toEqual(
      expect.arrayContaining(['agent-7']),
    );
    expect(await complete(repo.main, 'wor')).toEqual(['worktree']);
    // Outside a repository: no names, no error.
    expect(await complete(tempDir(), 'claim', '')).toEqual([]);
  });

  it('the bash script completes through a real bash; zsh and fish scripts are printed', async () => {
    const repo = await makeRepo();
    await run(['worktree', 'add', 'feature-a'], { cwd: repo.main });
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

    const zsh = await run(['completion', 'zsh'], { cwd: repo.main });
    expect(zsh.stdout).toMatch(/^#compdef tmc-orch/);
    expect(zsh.stdout).toContain('tmc-orch __complete --');
    const fish = await run(['completion', 'fish'], { cwd: repo.main });
    expect(fish.stdout).toContain("complete -c tmc-orch -f -a '(__tmc_orch_complete)'");
    expect((await run(['completion', 'powershell'], { cwd: repo.main })).exitCode).toBe(2);
  });
  it('bash gets each candidate quoted as one word: names never glob or run a command', async () => {
    const repo = await makeRepo();
    await run(['worktree', 'add', 'feature-a'], { cwd: repo.main });
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
