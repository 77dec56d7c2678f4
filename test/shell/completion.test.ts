import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { completionRequest } from '../../src/shell/completion.js';
import { runIn } from '../helpers/run.js';
import { git, makeRepo, tempDir } from '../helpers/repo.js';
import { cluster, type Machine } from '../helpers/fixtures.js';
import { freePort, setOrigin } from '../helpers/remote.js';

const complete = async (cwd: string, ...words: string[]) => {
  const result = await runIn(['__complete', '--', ...words], { cwd });
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
    await runIn(['worktree', 'add', 'feature-a'], { cwd: repo.main });
    await runIn(['worktree', 'add', 'feature-b'], { cwd: repo.main });
    await git(repo.main, 'branch', 'fix/typo');
    await runIn(['claim', 'feature-a'], { cwd: repo.main, env: { TMC_AGENT: 'agent-7' } });
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

  it('agent names come from the claims this clone saw, without the network (coordination remote)', async () => {
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    const claimed = await runIn(['claim', 'w1'], { cwd: a.main, env: { TMC_AGENT: 'alice' } });
    expect(claimed.exitCode, claimed.stderr).toBe(0);
    // A remote that cannot be reached: a listing would fail (or, hanging, wait its timeout).
    await setOrigin(c, `git://127.0.0.1:${await freePort()}/remote.git`);
    expect(await complete(a.main, 'claims', '--agent', 'al')).toEqual(['alice']);
  });

  it('zsh and fish scripts are printed; an unknown shell is exit 2', async () => {
    const repo = await makeRepo();
    const zsh = await runIn(['completion', 'zsh'], { cwd: repo.main });
    expect(zsh.stdout).toMatch(/^#compdef tmc-orch/);
    expect(zsh.stdout).toContain('tmc-orch __complete --');
    const fish = await runIn(['completion', 'fish'], { cwd: repo.main });
    expect(fish.stdout).toContain("complete -c tmc-orch -f -a '(__tmc_orch_complete)'");
    expect((await runIn(['completion', 'powershell'], { cwd: repo.main })).exitCode).toBe(2);
  });

  it('a misspelt shell is exit 2 naming the near one, for completion and shell-init', async () => {
    const repo = await makeRepo();
    for (const command of ['completion', 'shell-init']) {
      const result = await runIn([command, 'fissh'], { cwd: repo.main });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('Allowed choices are bash, zsh, fish. Did you mean fish?');
    }
  });
});
