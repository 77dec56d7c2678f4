import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfigOrigin } from '../../src/git/hooks.js';
import { sharedFolderProblem } from '../../src/linecount/hooks/location.js';
import {
  gateInConfig,
  managerSnippet,
  preCommitPushStage,
  type ManagerConfig,
} from '../../src/linecount/hooks/managers.js';
import { preCommitPush } from '../../src/linecount/hooks/pre-commit-env.js';
import {
  appendBlock,
  callsGate,
  recordedCommand,
  recordedHookScript,
  removeBlock,
} from '../../src/linecount/hooks/script.js';

const wt = { toplevel: '/r/repo', gitDir: '/r/repo/.git', commonDir: '/r/repo/.git' };

describe('where core.hooksPath comes from', () => {
  it('parses scope, origin and value', () => {
    expect(parseConfigOrigin('global\0file:/home/me/.gitconfig\0/home/me/hooks dir\0')).toEqual({
      scope: 'global',
      origin: 'file:/home/me/.gitconfig',
      value: '/home/me/hooks dir',
    });
    expect(parseConfigOrigin('')).toBeNull();
  });

  it('refuses a hooks folder from the global or system config, wherever it is', () => {
    for (const scope of ['global', 'system'] as const) {
      const problem = sharedFolderProblem(
        {
          hooksDir: '/r/repo/.githooks',
          hooksPath: { value: '.githooks', scope, origin: 'file:/etc/gitconfig' },
        },
        wt,
      );
      expect(problem).toContain(`set in the ${scope} git config (file:/etc/gitconfig)`);
      expect(problem).toContain('git config core.hooksPath /r/repo/.git/hooks');
    }
  });

  it('refuses a folder outside the repository, and accepts one inside it', () => {
    const local = { value: '', scope: 'local' as const, origin: 'file:.git/config' };
    expect(
      sharedFolderProblem(
        { hooksDir: '/opt/hooks', hooksPath: { ...local, value: '/opt/hooks' } },
        wt,
      ),
    ).toContain('/opt/hooks is outside this repository');
    expect(sharedFolderProblem({ hooksDir: '/r/repo/.git/hooks', hooksPath: null }, wt)).toBeNull();
    expect(
      sharedFolderProblem(
        { hooksDir: '/r/repo/.husky/_', hooksPath: { ...local, value: '.husky/_' } },
        wt,
      ),
    ).toBeNull();
    // A sibling folder whose name starts like the repository's is still outside.
    expect(sharedFolderProblem({ hooksDir: '/r/repo-hooks', hooksPath: null }, wt)).toContain(
      'outside',
    );
  });
});

describe('the hook scripts', () => {
  const pathLike = fc.string({ minLength: 1 }).filter((s) => !/[\n\0]/.test(s));

  it('reads back the node and script a machine-local hook records, whatever their characters', () => {
    fc.assert(
      fc.property(pathLike, pathLike, (node, script) => {
        expect(recordedCommand(recordedHookScript({ node, script }))).toEqual({ node, script });
      }),
    );
  });

  it('reads the single call line of hooks written before the fallbacks', () => {
    const old = `#!/bin/sh\nprintf '%s' "$input" | '/usr/bin/node' '/it'\\''s/tmc-orch.js' hook pre-push "$@"\n`;
    expect(recordedCommand(old)).toEqual({ node: '/usr/bin/node', script: "/it's/tmc-orch.js" });
  });

  it('removing the husky block gives back the file exactly as it was', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('tmc-orch')),
        (text) => {
          expect(removeBlock(appendBlock(text, false)).text).toBe(text);
        },
      ),
    );
  });

  it('recognises a call of the gate in a hook or a manager command', () => {
    expect(callsGate('npx tmc-orch hook pre-push "$@"')).toBe(true);
    expect(callsGate('tmc-orch check')).toBe(false);
  });
});

describe('pre-commit', () => {
  it('takes the pushed ref from its variables, the commit from the local ref when TO is unset', () => {
    expect(
      preCommitPush({
        PRE_COMMIT_LOCAL_BRANCH: 'refs/heads/a',
        PRE_COMMIT_REMOTE_BRANCH: 'refs/heads/b',
        PRE_COMMIT_TO_REF: 'f'.repeat(40),
      }),
    ).toEqual({
      status: 'push',
      localRef: 'refs/heads/a',
      remoteRef: 'refs/heads/b',
      localSha: 'f'.repeat(40),
    });
    expect(
      preCommitPush({ PRE_COMMIT_LOCAL_BRANCH: 'refs/heads/a', PRE_COMMIT_REMOTE_BRANCH: 'x' }),
    ).toMatchObject({ status: 'push', localSha: null });
    expect(preCommitPush({})).toEqual({
      status: 'missing',
      names: ['PRE_COMMIT_LOCAL_BRANCH', 'PRE_COMMIT_REMOTE_BRANCH'],
    });
  });

  it('names the push stage as the installed version knows it', () => {
    expect(preCommitPushStage('pre-commit 3.0.4')).toBe('push');
    expect(preCommitPushStage('pre-commit 3.2.0')).toBe('pre-push');
    expect(preCommitPushStage('pre-commit 4.3.0')).toBe('pre-push');
    expect(preCommitPushStage(null)).toBe('pre-push');
  });
});

describe('the gate in a manager config', () => {
  const config = (manager: ManagerConfig['manager'], ...texts: string[]): ManagerConfig => ({
    manager,
    file: manager === 'lefthook' ? '/r/lefthook.yml' : '/r/.pre-commit-config.yaml',
    texts,
  });

  it('finds the printed snippets', async () => {
    expect(await gateInConfig(config('lefthook', await managerSnippet('lefthook')))).toEqual({
      status: 'ok',
    });
    for (const stage of ['push', 'pre-push'] as const) {
      expect(
        await gateInConfig(config('pre-commit', await managerSnippet('pre-commit', stage))),
      ).toEqual({ status: 'ok' });
    }
  });

  it('finds a lefthook job, and use_stdin set in lefthook-local.yml', async () => {
    const job = 'pre-push:\n  jobs:\n    - run: tmc-orch hook pre-push\n      use_stdin: true\n';
    expect(await gateInConfig(config('lefthook', job))).toEqual({ status: 'ok' });
    const main = 'pre-push:\n  commands:\n    gate:\n      run: npx tmc-orch hook pre-push\n';
    expect((await gateInConfig(config('lefthook', main))).status).toBe('misconfigured');
    const local = 'pre-push:\n  commands:\n    gate:\n      use_stdin: true\n';
    expect(await gateInConfig(config('lefthook', main, local))).toEqual({ status: 'ok' });
  });

  it('says why a pre-commit entry would let pushes through', async () => {
    const entry = (e: string, stages = '[pre-push]') =>
      `repos:\n  - repo: local\n    hooks:\n      - id: g\n        name: g\n        entry: ${e}\n        language: system\n        stages: ${stages}\n`;
    const check = await gateInConfig(config('pre-commit', entry('tmc-orch check')));
    expect(check).toMatchObject({ status: 'misconfigured' });
    expect(JSON.stringify(check)).toContain('HEAD only');
    const noFlag = await gateInConfig(config('pre-commit', entry('tmc-orch hook pre-push')));
    expect(JSON.stringify(noFlag)).toContain('--pre-commit');
    const commitOnly = await gateInConfig(
      config('pre-commit', entry('tmc-orch hook pre-push --pre-commit', '[pre-commit]')),
    );
    expect(JSON.stringify(commitOnly)).toContain('stages');
    expect(await gateInConfig(config('pre-commit', 'repos: [\n'))).toMatchObject({
      status: 'unreadable',
    });
  });
});
