import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { configure, lines, push } from '../helpers/hooks.js';
import { commitFiles, git, makeRepo } from '../helpers/repo.js';

// Spawned: git push runs the installed pre-push hook, which runs the built binary.
const NODE = process.execPath;

describe('pre-push gates', () => {
  it(
    'runs the prePush gates after the size check and refuses the push when one fails',
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo({ remote: true });
      configure(repo, {
        plan: {
          agents: [{ id: 'agent-1', worktree: 'w1' }],
          gates: [
            {
              name: 'check',
              run: [NODE, '-e', 'process.exit(require("fs").existsSync("BROKEN") ? 1 : 0)'],
              prePush: true,
            },
            // Not a pre-push gate: it never runs in the hook.
            { name: 'slow', run: [NODE, '-e', 'process.exit(9)'] },
          ],
        },
      });
      const install = await runCli(['hooks', 'install'], { cwd: repo.main });
      expect(install.exitCode, install.stderr).toBe(0);
      expect((await runCli(['worktree', 'add', 'w1'], { cwd: repo.main })).exitCode).toBe(0);
      const w1 = path.join(repo.worktreeRoot, 'w1');
      const remoteHead = () =>
        git(repo.remote ?? '', 'rev-parse', 'refs/heads/w1').catch(() => null);

      await commitFiles(w1, { 'a.txt': 'a\n' });
      const ok = await push(w1, ['origin', 'w1']);
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.stderr).toMatch(/w1: gate check passed/);
      expect(ok.stderr).not.toContain('gate slow');
      expect(await remoteHead()).toBe(await git(w1, 'rev-parse', 'HEAD'));

      const before = await remoteHead();
      await commitFiles(w1, { BROKEN: 'yes\n' });
      const refused = await push(w1, ['origin', 'w1']);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toMatch(/w1: gate check failed \(exit 1\).*log: .*check\.log/);
      expect(refused.stderr).toContain('push refused: a gate failed');
      expect(await remoteHead()).toBe(before);

      // Over the size limit: refused before any gate runs.
      await git(w1, 'rm', '-q', 'BROKEN');
      await commitFiles(w1, { 'big.txt': lines(800) });
      const big = await push(w1, ['origin', 'w1']);
      expect(big.exitCode).not.toBe(0);
      expect(big.stderr).toMatch(/push of w1 refused: 80\d counted lines/);
      expect(big.stderr).not.toContain('gate check');
    },
  );
});
