import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { snapshotWorktree } from '../../src/git/snapshot.js';
import { FETCH_LOCK } from '../../src/sync/fetch-once.js';
import { tryLock } from '../../src/util/lock.js';
import { gitWithout } from '../helpers/old-git.js';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { logLines } from '../helpers/claims.js';
import { commitFiles, git, type TestRepo } from '../helpers/repo.js';
import { advanceRemote, repoWithWorktrees } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait.js';

/** Worktrees `names` with a commit each, branched from origin/main; `wt` in the order given. */
async function withWorktrees(names: string[]): Promise<TestRepo & { wt: string[] }> {
  const repo = await repoWithWorktrees(names, { remote: true, work: true });
  return { ...repo, wt: names.map((name) => repo.wt[name] as string) };
}

interface SyncJson {
  fetched: boolean;
  results: {
    name: string;
    status: string;
    skip: string | null;
    reason: string | null;
    recovered: string | null;
  }[];
}

/** Resolves once `run` has written `text` to stderr (or fails after a minute). */
async function stderrShows(run: ResultPromise, text: string): Promise<void> {
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" in:\n${seen}`)), 60_000);
    run.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** Twenty commits, each adding n/<i>.txt. */
const MANY_COMMITS =
  'mkdir -p n && i=1; while [ $i -le 20 ]; do echo $i > n/$i.txt; git add n/$i.txt; git commit -q -m "commit $i"; i=$((i+1)); done';

/** A post-checkout hook that marks `entered` and waits until `go` exists (or 60 s). */
function waitingHook(repo: TestRepo, entered: string, go: string): void {
  const hook = path.join(repo.main, '.git', 'hooks', 'post-checkout');
  writeFileSync(
    hook,
    `#!/bin/sh\n: > '${entered}'\ni=0\nwhile [ ! -e '${go}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n`,
  );
  chmodSync(hook, 0o755);
}

function spawnSync(cwd: string) {
  return execa(process.execPath, [BIN, 'sync'], {
    cwd,
    reject: false,
    env: { TMC_AGENT: 'agent-test' },
  });
}

/**
 * Syncs `cwd` until it is not skipped as busy: the lock of a killed sync goes stale within 10 s,
 * and till then a new sync says so rather than guess whether its holder is dead.
 */
async function syncUntilNotBusy(cwd: string): Promise<SyncJson['results'][number]> {
  for (let i = 0; ; i++) {
    const run = await runJson<SyncJson>(['sync'], { cwd });
    const result = run.json.results[0];
    if (!result) throw new Error(`no result: ${run.stderr}`);
    if (result.skip !== 'busy' || i >= 40) return result;
    await new Promise((r) => setTimeout(r, 500));
  }
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

  it('runs concurrent syncs, sharing fetches, each on the remote as it was when it started', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `w${i}`);
    const repo = await withWorktrees(names);
    const remoteHead = await advanceRemote(repo, { 'up.txt': 'x\n' });
    // The runs overlap for sure, whatever the machine's load: the test holds the fetch lock until
    // every run says it waits for it. The first to get it then fetches for all of them.
    const release = await tryLock(path.join(repo.main, '.git', FETCH_LOCK));
    const traces = repo.wt.map((_, i) => path.join(repo.root, `trace-${i}.txt`));
    const runs = repo.wt.map((dir, i) =>
      execa(process.execPath, [BIN, 'sync'], {
        cwd: dir,
        env: { TMC_AGENT: 'agent-test', GIT_TRACE: traces[i] as string },
        reject: false,
      }),
    );
    await Promise.all(runs.map((run) => stderrShows(run, 'waiting for the fetch')));
    await release?.();
    for (const run of await Promise.all(runs)) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/cannot lock ref/);
      expect(run.stdout).toMatch(/^updated +w\d /m);
    }
    // A run never uses a fetch that started before it did; runs waiting for the lock share one.
    const fetches = traces.filter((t) => /built-in: git fetch/.test(readFileSync(t, 'utf8')));
    expect(fetches).toHaveLength(1);
    for (const dir of repo.wt) {
      await git(dir, 'merge-base', '--is-ancestor', remoteHead, 'HEAD');
    }
    expect(existsSync(path.join(repo.main, '.git', FETCH_LOCK))).toBe(false);
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
    'a sync killed mid-rebase leaves git to finish alone; status says so, the next sync checks it',
    { timeout: 120_000 },
    async () => {
      const repo = await withWorktrees(['a']);
      const a = repo.wt[0] as string;
      await advanceRemote(repo, { 'up.txt': 'x\n' });
      // The rebase checks out the base and runs this hook, which waits for a go: a window to
      // kill the sync in.
      const inRebase = path.join(repo.root, 'in-rebase');
      const go = path.join(repo.root, 'go');
      waitingHook(repo, inRebase, go);
      const child = spawnSync(a);
      await waitFor(() => existsSync(inRebase));
      process.kill(child.pid as number, 'SIGKILL');
      await child;

      // git runs on, in the hook: an honest status, and no sync touches it meanwhile.
      const status = await runJson<{
        worktrees: { name: string; operation: string | null; operationOwner: string | null }[];
      }>(['status', '--no-conflicts'], { cwd: repo.main });
      expect(status.json.worktrees.find((w) => w.name === 'a')).toMatchObject({
        operation: 'rebase',
        operationOwner: 'tmc-orch-sync',
      });
      const human = await runCli(['status', '--no-conflicts'], { cwd: repo.main });
      expect(human.stderr).toMatch(
        /a: rebase in progress, started by tmc-orch sync.*tmc-orch sync a/,
      );
      const busy = await runJson<SyncJson>(['sync'], { cwd: a });
      expect(busy.json.results[0]).toMatchObject({ status: 'skipped', skip: 'busy' });

      writeFileSync(go, '');
      await waitFor(
        () => !existsSync(path.join(repo.main, '.git', 'worktrees', 'a', 'rebase-merge')),
      );
      const next = await syncUntilNotBusy(a);
      expect(next.status, next.reason ?? '').toBe('up-to-date');
      expect(next.recovered).toMatch(/had finished; checked/);
      expect(await git(a, 'symbolic-ref', 'HEAD')).toBe('refs/heads/a');
      expect(existsSync(path.join(repo.main, '.git', 'worktrees', 'a', 'tmc-orch-sync.json'))).toBe(
        false,
      );
    },
  );

  it(
    'a rebase left stopped by a sync killed with its git is undone and redone by the next sync',
    { timeout: 120_000 },
    async () => {
      const repo = await withWorktrees(['a']);
      const a = repo.wt[0] as string;
      await commitFiles(a, { 'a.txt': 'a, second\n' }, 'a goes on');
      writeFileSync(path.join(a, 'notes.txt'), 'untracked, must survive\n');
      await advanceRemote(repo, { 'up.txt': 'x\n' });
      const inRebase = path.join(repo.root, 'in-rebase');
      waitingHook(repo, inRebase, path.join(repo.root, 'never'));
      const child = spawnSync(a);
      await waitFor(() => existsSync(inRebase));
      // Kill the sync and its git (and the hook git runs): the rebase stays as it was.
      const marker = JSON.parse(
        readFileSync(path.join(repo.main, '.git', 'worktrees', 'a', 'tmc-orch-sync.json'), 'utf8'),
      ) as { gitPid: number };
      process.kill(child.pid as number, 'SIGKILL');
      process.kill(-marker.gitPid, 'SIGKILL');
      await child;
      writeFileSync(path.join(repo.main, '.git', 'hooks', 'post-checkout'), '#!/bin/sh\nexit 0\n');
      expect(existsSync(path.join(repo.main, '.git', 'worktrees', 'a', 'rebase-merge'))).toBe(true);

      const next = await syncUntilNotBusy(a);
      expect(next.status, next.reason ?? '').toBe('updated');
      expect(next.recovered).toMatch(/left stopped; undone/);
      expect(await git(a, 'log', '--format=%s', '-2')).toBe('a goes on\nwork in a');
      expect(readFileSync(path.join(a, 'notes.txt'), 'utf8')).toBe('untracked, must survive\n');
      expect(await git(a, 'status', '--porcelain')).toBe('?? notes.txt');
    },
  );

  it(
    'kill -9 at any moment: after the next sync every worktree is synced and nothing is lost',
    { timeout: 300_000 },
    async () => {
      const repos = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const repo = await withWorktrees(['a', 'b']);
          for (const dir of repo.wt) {
            // Many commits to replay: a long rebase, to be killed in the middle of.
            await execa('sh', ['-c', MANY_COMMITS], { cwd: dir });
            writeFileSync(path.join(dir, 'notes.txt'), 'untracked, must survive\n');
          }
          const base = await advanceRemote(repo, { 'up.txt': 'x\n' });
          return { repo, base };
        }),
      );
      const random = (ms: number) => new Promise((r) => setTimeout(r, Math.random() * ms));
      await Promise.all(
        repos.map(async ({ repo }, i) => {
          const child = execa(process.execPath, [BIN, 'sync', '--all'], {
            cwd: repo.main,
            reject: false,
            env: { TMC_AGENT: 'agent-test' },
          });
          if (i % 2 === 0) {
            await random(6000);
          } else {
            // Half of the kills land while a rebase runs.
            const rebasing = ['a', 'b'].map((name) =>
              path.join(repo.main, '.git', 'worktrees', name, 'rebase-merge'),
            );
            await waitFor(() => rebasing.some((m) => existsSync(m)) || child.exitCode !== null);
            await random(800);
          }
          child.kill('SIGKILL');
          await child;
        }),
      );
      for (const { repo, base } of repos) {
        for (let i = 0; ; i++) {
          const { json } = await runJson<SyncJson>(['sync', '--all'], { cwd: repo.main });
          if (!json.results.some((r) => r.skip === 'busy') || i >= 40) break;
          await new Promise((r) => setTimeout(r, 500));
        }
        for (const [i, dir] of repo.wt.entries()) {
          const name = ['a', 'b'][i] as string;
          const where = `${name} in ${repo.root}`;
          expect(await git(dir, 'symbolic-ref', 'HEAD'), where).toBe(`refs/heads/${name}`);
          await git(dir, 'merge-base', '--is-ancestor', base, 'HEAD');
          expect(await git(dir, 'status', '--porcelain'), where).toBe('?? notes.txt');
          expect(await git(dir, 'rev-list', '--count', `${base}..HEAD`), where).toBe('21');
          expect(readFileSync(path.join(dir, 'n', '20.txt'), 'utf8')).toBe('20\n');
          expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe(
            'untracked, must survive\n',
          );
          const gitDir = path.join(repo.main, '.git', 'worktrees', name);
          expect(existsSync(path.join(gitDir, 'rebase-merge')), where).toBe(false);
          expect(existsSync(path.join(gitDir, 'tmc-orch-sync.json')), where).toBe(false);
        }
      }
    },
  );

  it('--all skips a worktree claimed by another agent and logs one line per worktree it updated', async () => {
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
    // main and mine were updated: one entry each; none for the skip.
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

  it('writes no status-log entry for a dry run or a sync that changed nothing', async () => {
    const repo = await withWorktrees(['a', 'b']);
    const a = repo.wt[0] as string;
    await commitFiles(a, { 'shared.txt': 'mine\n' }, 'a edits');
    await advanceRemote(repo, { 'shared.txt': 'theirs\n', 'up.txt': 'x\n' });
    await git(repo.main, 'fetch', '-q', 'origin');
    const logged = logLines(repo).length;
    const dry = await runJson<SyncJson>(['sync', '--all', '--dry-run'], { cwd: repo.main });
    expect(dry.json.results.map((r) => r.status).sort()).toEqual([
      'conflict',
      'updated',
      'updated',
    ]);
    expect(logLines(repo).slice(logged)).toEqual([]);
    // main and b are updated (two entries), a conflicts (one entry)...
    await runJson<SyncJson>(['sync', '--all'], { cwd: repo.main });
    expect(logLines(repo).slice(logged)).toHaveLength(3);
    // ...and a sync that finds b up to date writes nothing.
    await runJson<SyncJson>(['sync', 'b'], { cwd: repo.main });
    expect(logLines(repo).slice(logged)).toHaveLength(3);
  });

  it('exits 1, changing nothing, when the base cannot be fetched and has no local copy', async () => {
    const repo = await withWorktrees(['a']);
    const a = repo.wt[0] as string;
    await git(repo.main, 'update-ref', '-d', 'refs/remotes/origin/main');
    renameSync(repo.remote as string, `${repo.remote as string}.away`);
    const head = await git(a, 'rev-parse', 'HEAD');
    const result = await runCli(['sync'], { cwd: a });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /could not fetch main from origin.*no local copy of origin\/main/,
    );
    expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
  });

  for (const strategy of ['rebase', 'merge'] as const) {
    it(
      `undoes a conflicting ${strategy} git could not forecast (before 2.38) byte for byte`,
      { timeout: 180_000 },
      async () => {
        const repo = await withWorktrees(['a']);
        const a = repo.wt[0] as string;
        await commitFiles(a, { 'shared.txt': 'mine\n' }, 'a edits shared');
        await commitFiles(a, { 'a.txt': 'a, second\n' }, 'a goes on');
        writeFileSync(path.join(a, 'notes.txt'), 'untracked, must survive\n');
        await advanceRemote(repo, { 'shared.txt': 'theirs\n', 'up.txt': 'x\n' });
        // A git without merge-tree --write-tree: the conflict is found by running the operation.
        const bin = await gitWithout(repo.main, ['--write-tree']);
        const before = await snapshotWorktree(a);
        const { json } = await runJson<SyncJson & { results: { conflicts: string[] }[] }>(
          ['sync', '--strategy', strategy],
          { cwd: a, env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` } },
        );
        const r = json.results[0];
        expect(r?.status, r?.reason ?? '').toBe('conflict');
        expect(r?.conflicts).toEqual(['shared.txt']);
        expect(await snapshotWorktree(a)).toEqual(before);
      },
    );
  }

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
