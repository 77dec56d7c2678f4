import { describe, expect, it } from 'vitest';
import type { SplitData } from '../../src/commands/split.js';
import { runCli, runJson } from '../helpers/cli.js';
import { push } from '../helpers/hooks.js';
import { kcpTemplates } from '../helpers/fixtures.js';
import { git } from '../helpers/repo.js';

// Spawned: git push runs the installed pre-push hook, which runs the built binary.
const templates = kcpTemplates({ whole: {} });

const HEAVY = { timeout: 240_000 };

describe('tmc-orch split --apply, pushed', () => {
  it('pushes every part through the real pre-push hook to a bare remote', HEAVY, async () => {
    const repo = templates.whole();
    const install = await runCli(['hooks', 'install'], { cwd: repo.main });
    expect(install.exitCode, install.stderr).toBe(0);
    const whole = await push(repo.main, ['origin', 'tmc']);
    expect(whole.exitCode).not.toBe(0);
    expect(whole.stderr).toContain('tmc-orch split --apply tmc');
    const { json } = await runJson<SplitData>(['split', '--apply', 'tmc', '--name', 'tmc-p'], {
      cwd: repo.main,
    });
    for (const part of json.applied!.parts) {
      const pushed = await push(repo.main, ['origin', part.branch]);
      expect(pushed.exitCode, pushed.stderr).toBe(0);
      expect(pushed.stderr).toContain(`${part.branch}: ${part.check.lines} counted lines`);
    }
    const remote = await git(repo.remote!, 'for-each-ref', '--format=%(refname:short)');
    expect(remote.split('\n')).toEqual(
      expect.arrayContaining(json.applied!.parts.map((p) => p.branch)),
    );
  });
});
