import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../helpers/cli.js';
import { makeRepo } from '../helpers/repo.js';

describe('tmc-orch lines: repositories git refuses to work in (spawned)', () => {
  const hint = (dir: string) =>
    `git refuses to work in ${dir}: detected dubious ownership (it belongs to another user); if you trust it, run: git config --global --add safe.directory ${dir}`;

  it("is bad input, exit 2 with git's safe.directory hint, as git says it", async () => {
    const repo = await makeRepo();
    // git reads this from its environment: the binary must run in a process of its own.
    const env = { GIT_TEST_ASSUME_DIFFERENT_OWNER: '1' };
    for (const command of ['lines', 'check']) {
      const result = await runCli([command], { cwd: repo.main, env });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr.trim()).toBe(`tmc-orch: ${hint(repo.main)}`);
    }
    const json = await runJson<{ error: { code: string; message: string } }>(['lines'], {
      cwd: repo.main,
      env,
    });
    expect(json.exitCode).toBe(2);
    expect(json.json.error).toMatchObject({ code: 'usage', message: hint(repo.main) });
  });
});
