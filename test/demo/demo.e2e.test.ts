import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanReport } from '../../src/plan/live.js';
import { runCli, runJson } from '../helpers/cli.js';
import { git, tempDir } from '../helpers/repo.js';

/** Everything under `dir`, as relative paths, skipping the demo's own folder. */
function entries(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('demo', () => {
  it(
    'builds the demo in a folder with a space, shows the tool at work, and works twice in a row',
    { timeout: 300_000 },
    async () => {
      const outside = tempDir();
      writeFileSync(path.join(outside, 'keep.txt'), 'mine\n');
      const dir = path.join(outside, 'my demo');
      const gitconfig = process.env.GIT_CONFIG_GLOBAL ?? '';
      const globalBefore = readFileSync(gitconfig, 'utf8');
      const xdg = process.env.XDG_CONFIG_HOME ?? '';
      const xdgBefore = entries(xdg);

      const first = await runCli(['demo', dir], { cwd: outside, env: { TMC_AGENT: '' } });
      expect(first.exitCode, first.stderr).toBe(0);
      expect(first.stdout).toContain(`built a demo in ${dir}`);
      const steps = ['status', 'plan', 'lines --by-file', 'split'];
      const at = steps.map((step) => first.stdout.indexOf(`$ tmc-orch ${step} `));
      expect(
        at.every((i) => i >= 0),
        first.stdout,
      ).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
      // status: the two conflicting branches; plan: the squash-merged stream-1 branch and the
      // blocked stream 2; lines: the oversized branch with its generated files beside it.
      expect(first.stdout).toContain(
        '03a-foundation ✗ 03b-binary-manager: pkg/controller/reconciler.go',
      );
      expect(first.stdout).toMatch(/02-feature-flags\s.*yes \(squash\)/);
      expect(first.stdout).toContain(
        'stream-2 Foundation Corrections (Week 2): waits for stream-1',
      );
      expect(first.stdout).toMatch(/zz_generated\.deepcopy\.go\s+\+\d+ -0\s+0\s+generated/);
      expect(first.stdout).toMatch(/over the limit: \d+ ≥ 700/);
      // split, after lines: the oversized branch as a plan of parts each under the limit, and
      // how to make them; the plan only, so no branch is made.
      const split = first.stdout.slice(first.stdout.indexOf('$ tmc-orch split '));
      const counted = /(\d+) counted lines in (\d+) parts \(each under 700/.exec(split);
      expect(counted, split).not.toBeNull();
      const parts = [...split.matchAll(/^\d+\. \S+ +(\d+) lines$/gm)].map((m) => Number(m[1]));
      expect(parts).toHaveLength(Number(counted?.[2]));
      expect(parts.every((lines) => lines < 700)).toBe(true);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(Number(counted?.[1]));
      expect(first.stderr).toContain('make these branches: tmc-orch split --apply');
      expect(first.stdout).toMatch(/02-apiexport-split' split --apply$/m);
      expect(first.stderr).toContain('"01-virtual-workspace" is not to be started yet');
      expect(first.stdout).toContain('Explore further:');
      expect(first.stdout).toContain(`The demo is in ${dir}`);
      expect(first.stdout).toContain(`rm -rf '${dir}'`);

      // Nothing outside DIR: the folder around it, the git and tmc-orch user config.
      expect(readdirSync(outside).sort()).toEqual(['keep.txt', 'my demo']);
      expect(readFileSync(gitconfig, 'utf8')).toBe(globalBefore);
      expect(entries(xdg)).toEqual(xdgBefore);

      const main = path.join(dir, 'kcp');
      expect(await git(main, 'for-each-ref', '--format=%(refname)', 'refs/heads/*part*')).toBe('');
      const claims = await runJson<{ claims: { agent: string }[] }>(['claims'], { cwd: main });
      expect(claims.json.claims.map((c) => c.agent).sort()).toEqual([
        'agent-1',
        'agent-2',
        'agent-3',
      ]);
      const plan = await runJson<PlanReport>(['plan'], { cwd: main });
      expect(plan.json.rows).toHaveLength(8);
      expect(plan.json.rows.filter((r) => r.live.exists)).toHaveLength(8);

      const second = await runJson<{ dir: string; replaced: boolean; explore: string[] }>(
        ['demo', dir],
        { cwd: outside },
      );
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.json).toMatchObject({ dir, replaced: true });
      expect(second.json.explore.join('\n')).toContain(`'${path.join(dir, 'kcp')}' status`);
      expect(readdirSync(outside).sort()).toEqual(['keep.txt', 'my demo']);
      const again = await runJson<{ claims: unknown[] }>(['claims'], { cwd: main });
      expect(again.json.claims).toHaveLength(3);
    },
  );

  it(
    'works whatever the global git config says (signing, signed pushes, a protocol allow-list, hooks that refuse all) and leaves it as it was',
    { timeout: 120_000 },
    async () => {
      const home = tempDir();
      const hooks = path.join(home, 'hooks');
      const ran = path.join(home, 'hook-ran');
      mkdirSync(hooks);
      const names = ['pre-commit', 'commit-msg', 'post-checkout', 'pre-push', 'pre-receive'];
      for (const name of [...names, 'update', 'reference-transaction']) {
        const hook = path.join(hooks, name);
        writeFileSync(hook, `#!/bin/sh\necho "$0" >> '${ran}'\nexit 1\n`);
        chmodSync(hook, 0o755);
      }
      const gitconfig = path.join(home, '.gitconfig');
      const config = [
        '[commit]',
        '\tgpgsign = true',
        '[tag]',
        '\tgpgsign = true',
        '[push]',
        '\tgpgSign = true',
        '[protocol]',
        '\tallow = never',
        '[protocol "https"]',
        '\tallow = always',
        '[gpg]',
        '\tprogram = false',
        '[core]',
        `\thooksPath = ${hooks}`,
        '[user]',
        '\tuseConfigOnly = true',
        '[init]',
        '\tdefaultBranch = trunk',
        '',
      ].join('\n');
      writeFileSync(gitconfig, config);
      const dir = path.join(home, 'demo');
      const result = await runCli(['demo', dir], {
        cwd: home,
        env: { HOME: home, GIT_CONFIG_GLOBAL: gitconfig, TMC_AGENT: '' },
      });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain('$ tmc-orch split ');
      expect(existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe('');
      expect(readFileSync(gitconfig, 'utf8')).toBe(config);
      expect(readdirSync(hooks).sort()).toEqual(
        [...names, 'update', 'reference-transaction'].sort(),
      );
    },
  );

  it('refuses a folder that holds something else, and leaves it as it was (exit 2)', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'kcp'));
    writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    const result = await runCli(['demo', dir], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not empty and holds no earlier demo');
    expect(entries(dir)).toEqual(['kcp', 'notes.txt']);
  });

  it('refuses a DIR that cannot be a folder (a file, a dangling link, under a file) with exit 2', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file'), 'mine\n');
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
    const cases = [
      ['file', 'is a file'],
      ['dangling', 'is a link to nothing'],
      [path.join('file', 'sub'), 'a file is on its path'],
    ];
    for (const [given, why] of cases) {
      const result = await runCli(['demo', String(given)], { cwd: dir });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toContain(why);
      expect(result.stderr).toContain('pass a new or empty folder');
    }
    expect(entries(dir)).toEqual(['dangling', 'file']);
    expect(readFileSync(path.join(dir, 'file'), 'utf8')).toBe('mine\n');
  });
});
