import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { commitFiles } from '../helpers/repo.js';
import { runIn } from '../helpers/run.js';
import { BRANCH, expectSafe, planted } from '../helpers/planted.js';

describe('planted control characters never reach the terminal', () => {
  it("the pre-push hook's messages show the branch and file names escaped", async () => {
    const { repo, wt } = await planted();
    // The hook gates only repositories with a tmc-orch config.
    await commitFiles(repo.main, { '.tmc-orch.json': '{}\n' }, 'config');
    expect((await runIn(['hooks', 'install'], { cwd: repo.main })).exitCode).toBe(0);
    const push = await execa('git', ['push', 'origin', `refs/heads/${BRANCH}`], {
      cwd: wt,
      reject: false,
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(push.exitCode).not.toBe(0);
    const hookLines = String(push.stderr)
      .split('\n')
      .filter((l) => !l.startsWith('error:') && !l.startsWith('To '));
    expectSafe({ stdout: '', stderr: hookLines.join('\n'), exitCode: 1 });
    expect(push.stderr).toContain('push of feat-\\u202eevil\\u2066\\u200b\\x9bx refused');
    expect(push.stderr).toContain('x\\x1b]52;c;Zm9v\\x07\\u202e.txt');
  });
});
