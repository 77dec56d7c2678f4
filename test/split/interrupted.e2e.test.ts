import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { kcpTemplates } from '../helpers/fixtures.js';
import { smallBranchFiles } from '../helpers/kcp-branch.js';
import { gitWrapper, shellQuote } from '../helpers/git-wrapper.js';
import { git, type TestRepo } from '../helpers/repo.js';
import { waitFor } from '../helpers/wait.js';

// Spawned: a real split --apply --worktrees process, stopped by Ctrl-C (SIGINT to its whole
// process group, git and its hook included, as a terminal sends it) or by SIGTERM (to it alone)
// while git adds its second worktree. Unlike SIGKILL (killed.e2e.test.ts), it takes back what it
// made before it exits.
const templates = kcpTemplates({ small: { branch: 'feat', files: smallBranchFiles() } });

/** Everything a split --apply run could leave: branches, worktrees, claims, stack records. */
async function traces(repo: TestRepo): Promise<Record<string, string>> {
  const config = await git(repo.main, 'config', '--list');
  return {
    branches: await git(repo.main, 'for-each-ref', '--format=%(refname)', 'refs/heads/'),
    claims: await git(repo.main, 'for-each-ref', 'refs/tmc-orch/claims/'),
    worktrees: (await git(repo.main, 'worktree', 'list', '--porcelain'))
      .split('\n')
      .filter((l) => l.startsWith('worktree '))
      .join('\n'),
    records: config
      .split('\n')
      .filter((l) => /tmcorch/i.test(l))
      .join('\n'),
  };
}

describe('tmc-orch split --apply, interrupted', () => {
  for (const { signal, exitCode, group } of [
    { signal: 'SIGINT', exitCode: 130, group: true },
    { signal: 'SIGTERM', exitCode: 143, group: false },
  ] as const) {
    it(
      `takes back every branch, worktree, claim and record it made on ${signal}, then exits ${exitCode}`,
      { timeout: 240_000 },
      async () => {
        const repo = templates.small();
        const feat = await git(repo.main, 'rev-parse', 'feat');
        const before = await traces(repo);
        // git runs this hook in each new worktree: in the second one it waits for a go.
        const entered = path.join(repo.root, 'entered');
        const go = path.join(repo.root, 'go');
        const hook = path.join(repo.main, '.git', 'hooks', 'post-checkout');
        writeFileSync(
          hook,
          `#!/bin/sh\ncase "$PWD" in\n*-part-2)\n  : > '${entered}'\n  i=0\n  while [ ! -e '${go}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done ;;\nesac\n`,
        );
        chmodSync(hook, 0o755);
        const child = execa(process.execPath, [BIN, 'split', '--apply', '--worktrees'], {
          cwd: repo.main,
          reject: false,
          // Its own process group, which Ctrl-C reaches whole.
          detached: true,
          env: { TMC_AGENT: 'agent-test' },
        });
        await waitFor(() => existsSync(entered));
        // Part 1's worktree is made and claimed by now, part 2's is being made.
        expect(existsSync(path.join(repo.worktreeRoot, 'feat-part-1', '.git'))).toBe(true);
        process.kill(group ? -child.pid! : child.pid!, signal);
        // SIGTERM reached tmc-orch alone: git finishes the worktree once its hook returns.
        writeFileSync(go, '');
        const result = await child;

        expect(result.exitCode, String(result.stderr)).toBe(exitCode);
        const stderr = String(result.stderr);
        expect(stderr).toContain(
          `tmc-orch: split --apply was stopped by ${signal} midway; every branch, record and worktree it had made was removed`,
        );
        expect(String(result.stdout)).toBe('');
        // Nothing of it is left, and nothing of the user's was touched.
        expect(await traces(repo)).toEqual(before);
        for (const k of [1, 2, 3]) {
          expect(existsSync(path.join(repo.worktreeRoot, `feat-part-${k}`))).toBe(false);
        }
        expect(await git(repo.main, 'rev-parse', 'HEAD')).toBe(feat);
        expect(await git(repo.main, 'status', '--porcelain')).toBe('');

        // So the next run starts from nothing, and succeeds.
        writeFileSync(hook, '#!/bin/sh\n');
        const again = await runCli(['split', '--apply', '--worktrees'], { cwd: repo.main });
        expect(again.exitCode, again.stderr).toBe(0);
      },
    );
  }

  it(
    'takes back all it made when Ctrl-C stops it while it checks the parts',
    {
      timeout: 240_000,
    },
    async () => {
      const repo = templates.small();
      const before = await traces(repo);
      const realGit = path.join(await git(repo.main, '--exec-path'), 'git');
      const entered = path.join(repo.root, 'entered');
      const go = path.join(repo.root, 'go');
      // Once the part branches exist, a diff (the count of a part) waits for a go.
      const bin = await gitWrapper(repo.main, () => [
        `  if [ "$arg" = diff ] && ${shellQuote(realGit)} show-ref --quiet --verify refs/heads/feat-part-1; then`,
        `    : > ${shellQuote(entered)}`,
        `    i=0; while [ ! -e ${shellQuote(go)} ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`,
        '  fi',
      ]);
      const child = execa(process.execPath, [BIN, 'split', '--apply'], {
        cwd: repo.main,
        reject: false,
        detached: true,
        env: { TMC_AGENT: 'agent-test', PATH: `${bin}:${process.env.PATH ?? ''}` },
      });
      await waitFor(() => existsSync(entered));
      // Ctrl-C reaches the whole group: the waiting git dies of it, and the count fails.
      process.kill(-child.pid!, 'SIGINT');
      writeFileSync(go, '');
      const result = await child;
      expect(result.exitCode, String(result.stderr)).toBe(130);
      expect(String(result.stderr)).toContain(
        'tmc-orch: split --apply was stopped by SIGINT midway; every branch, record and worktree it had made was removed',
      );
      expect(await traces(repo)).toEqual(before);
    },
  );

  it('stops at once on a second signal, as it says it will', { timeout: 240_000 }, async () => {
    const repo = templates.small();
    const entered = path.join(repo.root, 'entered');
    const go = path.join(repo.root, 'go');
    writeFileSync(
      path.join(repo.main, '.git', 'hooks', 'post-checkout'),
      `#!/bin/sh
case "$PWD" in
*-part-2)
  : > '${entered}'
  i=0
  while [ ! -e '${go}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done ;;
esac
`,
      { mode: 0o755 },
    );
    const child = execa(process.execPath, [BIN, 'split', '--apply', '--worktrees'], {
      cwd: repo.main,
      reject: false,
      env: { TMC_AGENT: 'agent-test' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => existsSync(entered));
    process.kill(child.pid!, 'SIGTERM');
    await waitFor(() => stderr.includes('interrupt again to stop at once and leave it'));
    process.kill(child.pid!, 'SIGTERM');
    const result = await child;
    writeFileSync(go, '');
    expect(result.signal).toBe('SIGTERM');
  });
});
