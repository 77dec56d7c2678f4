import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { userConfig } from '../helpers/fixtures.js';
import { git, makeRepo } from '../helpers/repo.js';

interface Origin {
  value: string;
  source: string;
  from: string | null;
}

interface ConfigJson {
  file: string | null;
  userFile: { path: string; found: boolean };
  precedence: string[];
  config: {
    branchPrefix: string;
    sync: { strategy: string; fetchTimeout: string };
    worktrees: { copy: string[]; disposable: string[] };
    lines: { limit: number };
  };
  sources: Record<string, string>;
  agent: Origin;
  color: Origin;
}

describe('tmc-orch config', () => {
  it('says where each value came from, and where the agent id came from', async () => {
    const repo = await makeRepo();
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ sync: { strategy: 'merge' } }),
    );
    const shown = await runJsonIn<ConfigJson>(['config'], { cwd: repo.main });
    expect(shown.json.sources).toMatchObject({ 'sync.strategy': 'repository', base: 'default' });
    expect(shown.json.agent).toEqual({ value: 'agent-test', source: 'env', from: 'TMC_AGENT' });
    const flagged = await runJsonIn<ConfigJson>(['--agent', 'a-9', 'config'], {
      cwd: repo.main,
    });
    expect(flagged.json.agent).toEqual({ value: 'a-9', source: 'flag', from: '--agent' });
  });

  it('a repository setting comes from the repository file, else the user file, else the default', async () => {
    const repo = await makeRepo();
    const user = userConfig({
      branchPrefix: 'me/',
      sync: { strategy: 'merge', fetchTimeout: '5s' },
      worktrees: { copy: ['.envrc'] },
    });
    const env = { XDG_CONFIG_HOME: user.xdg };

    const userOnly = await runJsonIn<ConfigJson>(['config'], { cwd: repo.main, env });
    expect(userOnly.exitCode, userOnly.stderr).toBe(0);
    expect(userOnly.json.userFile).toEqual({ path: user.file, found: true });
    expect(userOnly.json.precedence).toEqual(['default', 'user', 'repository', 'env', 'flag']);
    expect(userOnly.json.config).toMatchObject({
      branchPrefix: 'me/',
      sync: { strategy: 'merge', fetchTimeout: '5s' },
      worktrees: { copy: ['.envrc'], disposable: ['node_modules/'] },
    });
    expect(userOnly.json.sources).toMatchObject({
      branchPrefix: 'user',
      'sync.strategy': 'user',
      'sync.fetchTimeout': 'user',
      'worktrees.copy': 'user',
      'worktrees.disposable': 'default',
      base: 'default',
    });
    // The user's default is what commands use: the branch of a new worktree.
    const added = await runJsonIn<{ branch: string }>(['worktree', 'add', 'one'], {
      cwd: repo.main,
      env,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(await git(repo.main, 'branch', '--list', 'me/one')).toContain('me/one');

    // The repository overrides the user, key by key; an array is one value.
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ branchPrefix: 'team/', sync: { strategy: 'rebase' }, worktrees: {} }),
    );
    const both = await runJsonIn<ConfigJson>(['config'], { cwd: repo.main, env });
    expect(both.json.config).toMatchObject({
      branchPrefix: 'team/',
      sync: { strategy: 'rebase', fetchTimeout: '5s' },
      worktrees: { copy: ['.envrc'] },
    });
    expect(both.json.sources).toMatchObject({
      branchPrefix: 'repository',
      'sync.strategy': 'repository',
      'sync.fetchTimeout': 'user',
      'worktrees.copy': 'user',
    });
    await runJsonIn(['worktree', 'add', 'two'], { cwd: repo.main, env });
    expect(await git(repo.main, 'branch', '--list', 'team/two')).toContain('team/two');

    // Without the user file: the defaults.
    const neither = await runJsonIn<ConfigJson>(['config'], {
      cwd: repo.main,
      env: { XDG_CONFIG_HOME: userConfig().xdg },
    });
    expect(neither.json.config.sync).toEqual({ strategy: 'rebase', fetchTimeout: '2m' });
    expect(neither.json.sources['sync.fetchTimeout']).toBe('default');
    expect(neither.json.userFile.found).toBe(false);
  });

  it('the agent id and colour: default < user < env < flag', async () => {
    const repo = await makeRepo();
    const user = userConfig({ agent: 'agent-u', color: 'always' });
    // The test run sets NO_COLOR and TMC_AGENT; "" is unset for both.
    const unset = { XDG_CONFIG_HOME: user.xdg, TMC_AGENT: '', NO_COLOR: '' };
    const config = async (args: string[], env: Record<string, string>) => {
      const result = await runJsonIn<ConfigJson>([...args, 'config'], { cwd: repo.main, env });
      expect(result.exitCode, result.stderr).toBe(0);
      return { agent: result.json.agent, color: result.json.color };
    };

    expect(await config([], { ...unset, XDG_CONFIG_HOME: userConfig().xdg })).toEqual({
      agent: { value: expect.any(String) as string, source: 'default', from: null },
      color: { value: 'auto', source: 'default', from: null },
    });
    expect(await config([], unset)).toEqual({
      agent: { value: 'agent-u', source: 'user', from: user.file },
      color: { value: 'always', source: 'user', from: user.file },
    });
    expect(await config([], { ...unset, TMC_AGENT: 'agent-e', NO_COLOR: '1' })).toEqual({
      agent: { value: 'agent-e', source: 'env', from: 'TMC_AGENT' },
      color: { value: 'never', source: 'env', from: 'NO_COLOR' },
    });
    expect(
      await config(['--agent', 'agent-f', '--no-color'], {
        ...unset,
        TMC_AGENT: 'agent-e',
        FORCE_COLOR: '1',
      }),
    ).toEqual({
      agent: { value: 'agent-f', source: 'flag', from: '--agent' },
      color: { value: 'never', source: 'flag', from: '--no-color' },
    });

    // "always" colours output that is not a terminal; NO_COLOR still wins.
    const coloured = await runIn(['config'], { cwd: repo.main, env: unset });
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await runIn(['config'], { cwd: repo.main, env: { ...unset, NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toMatch(/^agent +user +agent-u$/m);
    expect(plain.stdout).toMatch(/^color +env \(NO_COLOR\) +never$/m);

    // The user's agent id is the one that acts.
    const claimed = await runJsonIn<{ claim: { agent: string } }>(['claim', 'repo'], {
      cwd: repo.main,
      env: unset,
    });
    expect(claimed.exitCode, claimed.stderr).toBe(0);
    expect(claimed.json.claim.agent).toBe('agent-u');
  });

  it.each([
    [{ color: 'sometimes' }, 'color:'],
    [{ sync: { strategy: 'yolo' } }, 'sync.strategy:'],
    [{ sync: { fetchTimeout: 'soon' } }, 'sync.fetchTimeout: "soon" is not a duration'],
    [{ remoteCoordination: { timeout: '0s' } }, 'remoteCoordination.timeout:'],
    [{ worktrees: { copy: [''] } }, 'worktrees.copy.0: a glob must not be empty'],
    [{ lines: { limit: 5 } }, 'lines is a repository setting'],
    [{ worktrees: { postCreate: [['x']] } }, 'worktrees.postCreate is a repository setting'],
    [{ branchprefix: 'x/' }, 'unknown key(s) branchprefix'],
  ])(
    'a user file with %j is exit 2 naming the file and the key, whoever the agent is',
    async (content, problem) => {
      const repo = await makeRepo();
      const user = userConfig(content);
      for (const args of [['config'], ['status'], ['claim', 'repo']]) {
        const result = await runJsonIn(args, {
          cwd: repo.main,
          env: { XDG_CONFIG_HOME: user.xdg },
        });
        expect(result.exitCode, args.join(' ')).toBe(2);
        expect(result.json).toMatchObject({ error: { code: 'config', exitCode: 2 } });
        expect(result.stderr).toContain(user.file);
        expect(result.stderr).toContain(problem);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
      expect(await git(repo.main, 'for-each-ref', 'refs/tmc-orch/')).toBe('');
    },
  );

  it('a user file that cannot be read is exit 2 naming it and what to do', async () => {
    const repo = await makeRepo();
    const loop = userConfig();
    mkdirSync(path.join(loop.xdg, 'tmc-orch'));
    // A symlink to itself: open() fails with ELOOP, as it would with EACCES for another user.
    symlinkSync('config.json', loop.file);
    const notDir = userConfig();
    writeFileSync(path.join(notDir.xdg, 'tmc-orch'), 'a file where the folder should be\n');
    for (const [{ xdg, file }, fix] of [
      [loop, `mv -- ${loop.file}`],
      [notDir, 'a folder on its path is a file'],
    ] as const) {
      const result = await runJsonIn(['config'], { cwd: repo.main, env: { XDG_CONFIG_HOME: xdg } });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toContain(`cannot read config ${file}`);
      expect(result.stderr).toContain(fix);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
