import { existsSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { gitWithout } from '../helpers/old-git.js';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { logLines } from '../helpers/claims.js';
import { commitFiles, git, makeRepo, tempDir, type TestRepo } from '../helpers/repo.js';

async function withWorktrees(names: string[]): Promise<TestRepo & { wt: string[] }> {
  const repo = await makeRepo({ remote: true });
  const wt: string[] = [];
  for (const name of names) {
    const dir = path.join(repo.worktreeRoot, name);
    await git(repo.main, 'worktree', 'add', '-q', '--no-track', '-b', name, dir, 'origin/main');
    await commitFiles(dir, { [`${name}.txt`]: `${name}\n` }, `work in ${name}`);
    wt.push(dir);
  }
  return { ...repo, wt };
}

async function advanceRemote(repo: TestRepo, files: Record<string, string>): Promise<string> {
  const clone = path.join(tempDir(), 'clone');
  await git(repo.root, 'clone', '-q', repo.remote as string, clone);
  const head = await commitFiles(clone, files, 'main moves on');
  await git(clone, 'push', '-q', 'origin', 'main');
  return head;
}

interface SyncJson {
  fetched: boolean;
  results: { name: string; status: string; skip: string | null; reason: string | null }[];
}

describe('tmc-orch sync', () => {
  it('syncs the current worktree and prints a summary line', async () => {
    const repo = await withWorktrees(['a']);
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const result = await runCli(['sync'], { cwd: repo.wt[0] as string });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^updated\s+a /m);
    expect(result.stdout).toMatch(/1 updated, 0 up to date, 0 skipped, 0 conflict, 0 failed/);
  });

  it('rejects a bad strategy and unknown names with exit 2 and changes nothing', async () => {
    const repo = await withWorktrees(['a']);
    const remoteHead = await advanceRemote(repo, { 'up.txt': 'x\n' });
    const bad = await runCli(['sync', '--strategy', 'squash'], { cwd: repo.wt[0] as string });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--strategy rebase or --strategy merge/);
    const unknown = await runCli(['sync', 'nope'], { cwd: repo.main });
    expect(unknown.exitCode).toBe(2);
    const both = await runCli(['sync', 'a', '--all'], { cwd: repo.main });
    expect(both.exitCode).toBe(2);
    // Nothing was fetched by any of them.
    expect(await git(repo.main, 'rev-parse', 'origin/main')).not.toBe(remoteHead);
  });

  it('runs concurrent syncs with one fetch and never "cannot lock ref"', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `w${i}`);
    const repo = await withWorktrees(names);
    const remoteHead = await advanceRemote(repo, { 'up.txt': 'x\n' });
    const runs = await Promise.all(repo.wt.map((dir) => runJson<SyncJson>(['sync'], { cwd: dir })));
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/cannot lock ref/);
      expect(run.json.results[0]?.status).toBe('updated');
    }
    expect(runs.filter((r) => r.json.fetched)).toHaveLength(1);
    for (const dir of repo.wt) {
      await git(dir, 'merge-base', '--is-ancestor', remoteHead, 'HEAD');
    }
    expect(existsSync(path.join(repo.main, '.git', 'tmc-orch-fetch.lock'))).toBe(false);
  });

  it('concurrent syncs of one conflicting worktree never abort each other nor change it', async () => {
    const repo = await withWorktrees(['a']);
    const a = repo.wt[0] as string;
    await commitFiles(a, { 'shared.txt': 'mine\n' }, 'a edits');
    await advanceRemote(repo, { 'shared.txt': 'theirs\n' });
    const head = await git(a, 'rev-parse', 'HEAD');
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => runJson<SyncJson>(['sync', 'a'], { cwd: repo.main })),
    );
    for (const run of runs) {
      const status = run.json.results[0]?.status;
      expect(['conflict', 'skipped'], `${status}: ${run.json.results[0]?.reason}`).toContain(
        status,
      );
      if (status === 'skipped') expect(run.json.results[0]?.skip).toBe('busy');
    }
    expect(runs.some((r) => r.json.results[0]?.status === 'conflict')).toBe(true);
    expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(a, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo.main, '.git', 'worktrees', 'a', 'rebase-merge'))).toBe(false);
  });

  it(
    'after SIGKILL mid-rebase, sync and status report the rebase and how to end it',
    { timeout: 90_000 },
    async () => {
      const repo = await withWorktrees(['a']);
      const a = repo.wt[0] as string;
      await advanceRemote(repo, { 'up.txt': 'x\n' });
      // The rebase checks out the base, runs this hook and waits in it: a window to kill it in.
      const marker = path.join(repo.root, 'in-rebase');
      const hook = path.join(repo.main, '.git', 'hooks', 'post-checkout');
      writeFileSync(hook, `#!/bin/sh\n: > '${marker}'\nsleep 60\n`);
      chmodSync(hook, 0o755);
      const child = execa(process.execPath, [BIN, 'sync'], {
        cwd: a,
        detached: true,
        reject: false,
        env: { TMC_AGENT: 'agent-test' },
      });
      for (let i = 0; i < 200 && !existsSync(marker); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(marker)).toBe(true);
      process.kill(-(child.pid as number), 'SIGKILL');
      await child;
      writeFileSync(hook, '#!/bin/sh\nexit 0\n');

      const again = await runJson<SyncJson>(['sync'], { cwd: a });
      expect(again.exitCode).toBe(1);
      expect(again.json.results[0]).toMatchObject({ status: 'skipped', skip: 'operation' });
      expect(again.json.results[0]?.reason).toMatch(/rebase --abort/);
      const status = await runJson<{ worktrees: { name: string; operation: string | null }[] }>(
        ['status', '--no-conflicts'],
        { cwd: repo.main },
      );
      expect(status.json.worktrees.find((w) => w.name === 'a')?.operation).toBe('rebase');
      const human = await runCli(['status', '--no-conflicts'], { cwd: repo.main });
      expect(human.stderr).toMatch(/a: rebase in progress.*rebase --continue.*rebase --abort/);
      // Following the advice brings the worktree back, and sync then works.
      await git(a, 'rebase', '--abort');
      // The killed sync's lock is no longer refreshed: it goes stale within 10 s, and till then a
      // new sync says the worktree is busy rather than guessing that its holder is dead.
      let result = (await runJson<SyncJson>(['sync'], { cwd: a })).json.results[0];
      for (let i = 0; i < 30 && result?.skip === 'busy'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        result = (await runJson<SyncJson>(['sync'], { cwd: a })).json.results[0];
      }
      expect(result?.status).toBe('updated');
    },
  );

  it('--all skips a worktree claimed by another agent and logs one line per worktree it synced', async () => {
    const repo = await withWorktrees(['mine', 'theirs']);
    const [mine, theirs] = repo.wt as [string, string];
    const before = await git(theirs, 'rev-parse', 'HEAD');
    expect((await runCli(['claim', 'mine'], { cwd: repo.main })).exitCode).toBe(0);
    const other = { env: { TMC_AGENT: 'agent-other' } };
    expect((await runCli(['claim', 'theirs'], { cwd: repo.main, ...other })).exitCode).toBe(0);
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const logged = logLines(repo).length;

    const { json, exitCode } = await runJson<SyncJson>(['sync', '--all'], { cwd: mine });
    expect(exitCode).toBe(0);
    const r = (name: string) => json.results.find((x) => x.name === name);
    expect(r('mine')?.status).toBe('updated');
    expect(r('theirs')).toMatchObject({ status: 'skipped', skip: 'claimed' });
    expect(r('theirs')?.reason).toMatch(/claimed by agent-other/);
    expect(await git(theirs, 'rev-parse', 'HEAD')).toBe(before);
    // main and mine were synced (main is up to date): one entry each; none for the skip.
    const added = logLines(repo).slice(logged);
    expect(added).toHaveLength(2);
    expect(
      added.some((l) => /agent-test \[mine\] \(tmc-orch\) sync: rebase onto origin\/main/.test(l)),
    ).toBe(true);
    expect(added.some((l) => /\[theirs\]/.test(l))).toBe(false);

    // Naming the claimed worktree is a skip too, and the exit code says so.
    const named = await runJson<SyncJson>(['sync', 'theirs'], { cwd: mine });
    expect(named.exitCode).toBe(1);
    expect(named.json.results[0]).toMatchObject({ status: 'skipped', skip: 'claimed' });
  });

  it('rebases with a git older than 2.38, which has no --no-update-refs', async () => {
    const repo = await withWorktrees(['a']);
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    // A git that answers as 2.37 does to options it does not know, and is real git otherwise.
    const bin = await gitWithout(repo.main, ['--no-update-refs', '--update-refs']);
    const { json, exitCode } = await runJson<SyncJson>(['sync'], {
      cwd: repo.wt[0] as string,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    expect(json.results[0]).toMatchObject({ status: 'updated' });
    expect(exitCode).toBe(0);
  });
});
