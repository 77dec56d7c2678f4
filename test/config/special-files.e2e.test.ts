import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { userConfig } from '../helpers/fixtures.js';
import { git, makeRepo } from '../helpers/repo.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../fixtures/orchestration-plan.md');

// Spawned: the behaviour under test is "never a hang", and only a child process can be stopped
// by a timeout when it does hang on a FIFO.
describe('config files that are not regular files', () => {
  it('a config path that is a FIFO or a folder is exit 2 naming it, never a hang', async () => {
    const repo = await makeRepo();
    const file = path.join(repo.main, '.tmc-orch.json');
    const xdg = path.join(repo.root, 'xdg');
    const userFile = path.join(xdg, 'tmc-orch', 'config.json');
    mkdirSync(path.dirname(userFile), { recursive: true });
    const cases: [string, () => Promise<void>][] = [
      [file, () => git(repo.root, 'init', '-q', file).then(() => undefined)],
      [file, () => execa('mkfifo', [file]).then(() => undefined)],
      [userFile, () => execa('mkfifo', [userFile]).then(() => undefined)],
      [userFile, async () => mkdirSync(userFile)],
    ];
    for (const [where, plant] of cases) {
      await plant();
      for (const args of [['status'], ['claims'], ['claim', 'repo']]) {
        const result = await runJson(args, {
          cwd: repo.main,
          env: { XDG_CONFIG_HOME: xdg, TMC_AGENT: where === file ? 'a1' : '' },
          timeout: 20_000,
        });
        expect(result.exitCode, `${where} ${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(where);
        expect(result.stderr).toContain('not a regular file');
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.json).toMatchObject({ error: { code: 'config', exitCode: 2 } });
      }
      rmSync(where, { recursive: true });
    }
  });

  it('refuses a config that is a FIFO instead of waiting for a writer (exit 2)', async () => {
    const repo = await makeRepo();
    await execa('mkfifo', [path.join(repo.main, '.tmc-orch.json')]);
    const result = await runCli(['plan', 'import', '--dry-run', EXAMPLE], {
      cwd: repo.main,
      timeout: 20_000,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is a FIFO, not a regular file');
  });

  it('a FIFO in place of the user file is exit 2, never a hang, with an agent id set', async () => {
    const repo = await makeRepo();
    const user = userConfig();
    mkdirSync(path.dirname(user.file));
    await execa('mkfifo', [user.file]);
    for (const args of [['config'], ['status'], ['lines']]) {
      const result = await runJson(args, {
        cwd: repo.main,
        env: { XDG_CONFIG_HOME: user.xdg, TMC_AGENT: 'agent-1' },
        timeout: 20_000,
      });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(`${user.file}: it is a FIFO`);
    }
    const version = await runCli(['--version'], {
      cwd: repo.main,
      env: { XDG_CONFIG_HOME: user.xdg },
      timeout: 20_000,
    });
    expect(version.exitCode).toBe(0);
  });
});
