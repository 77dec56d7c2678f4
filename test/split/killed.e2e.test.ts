import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { kcpTemplates } from '../helpers/fixtures.js';
import { smallBranchFiles } from '../helpers/kcp-branch.js';
import { git } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

// Spawned: a real split --apply process, killed with SIGKILL while git adds its second worktree.
const templates = kcpTemplates({ small: { branch: 'feat', files: smallBranchFiles() } });

describe('tmc-orch split --apply, killed', () => {
  it(
    'loses nothing when killed midway, and the next run says how to clear what it left',
    { timeout: 240_000 },
    async () => {
      const repo = templates.small();
      const feat = await git(repo.main, 'rev-parse', 'feat');
      // git runs this hook in each new worktree: in the second one it waits for a go.
      const entered = path.join(repo.root, 'entered');
      const go = path.join(repo.root, 'go');
      const done = path.join(repo.root, 'done');
      const hook = path.join(repo.main, '.git', 'hooks', 'post-checkout');
      writeFileSync(
        hook,
        `#!/bin/sh\ncase "$PWD" in\n*-part-2)\n  : > '${entered}'\n  i=0\n  while [ ! -e '${go}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n  : > '${done}' ;;\nesac\n`,
      );
      chmodSync(hook, 0o755);
      const child = execa(process.execPath, [BIN, 'split', '--apply', '--worktrees'], {
        cwd: repo.main,
        reject: false,
        env: { TMC_AGENT: 'agent-test' },
      });
      await waitFor(() => existsSync(entered));
      process.kill(child.pid!, 'SIGKILL');
      await child;
      writeFileSync(go, '');
      await waitFor(() => existsSync(done));
      // git finishes the worktree it was adding once its hook returns.
      await waitFor(() => existsSync(path.join(repo.worktreeRoot, 'feat-part-2', '.git')));
      await new Promise((r) => setTimeout(r, 500));
      writeFileSync(hook, '#!/bin/sh\n');

      // Nothing of the user's is touched: the branch and its worktree as they were.
      expect(await git(repo.main, 'rev-parse', 'HEAD')).toBe(feat);
      expect(await git(repo.main, 'status', '--porcelain')).toBe('');

      // What it left is named, with the commands that clear it, in the order they work.
      const again = await runCli(['split', '--apply', '--worktrees'], { cwd: repo.main });
      expect(again.exitCode).toBe(2);
      const message = again.stderr.trim();
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain('nothing was created');
      expect(message).toContain(
        'remove the worktrees holding them (tmc-orch worktree remove feat-part-1; tmc-orch worktree remove feat-part-2), then delete those branches first (git branch -D feat-part-1 feat-part-2 feat-part-3)',
      );
      for (const name of ['feat-part-1', 'feat-part-2']) {
        const removed = await runCli(['worktree', 'remove', name], { cwd: repo.main });
        expect(removed.exitCode, removed.stderr).toBe(0);
      }
      await git(repo.main, 'branch', '-D', 'feat-part-1', 'feat-part-2', 'feat-part-3');
      const last = await runCli(['split', '--apply', '--worktrees'], { cwd: repo.main });
      expect(last.exitCode, last.stderr).toBe(0);
      expect(await git(repo.main, 'rev-parse', 'feat-part-3^{tree}')).toBe(
        await git(repo.main, 'rev-parse', 'feat^{tree}'),
      );
    },
  );
});
