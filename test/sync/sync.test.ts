import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotWorktree } from '../../src/git/snapshot.js';
import { openRepo } from '../../src/repo.js';
import { tryLock } from '../../src/util/lock.js';
import { SYNC_LOCK } from '../../src/sync/lock.js';
import { syncWorktrees } from '../../src/sync/sync.js';
import { type SyncResult } from '../../src/sync/types.js';
import { commitFiles, git, makeRepo, tempDir, writeFile, type TestRepo } from '../helpers/repo.js';
import { runJsonIn } from '../helpers/run.js';
import { advanceRemote, repoWithWorktrees, type WorktreeRepo } from '../helpers/fixtures.js';

/** A repo with a remote and linked worktrees, each one commit ahead on a file of its own. */
function setup(names: string[]): Promise<WorktreeRepo> {
  const files = { 'shared.txt': 'one\ntwo\nthree\n' };
  return repoWithWorktrees(names, { remote: true, files, work: true });
}

async function syncNames(
  repo: TestRepo,
  names: string[],
  extra: Partial<Parameters<typeof syncWorktrees>[1]> = {},
) {
  return syncWorktrees(await openRepo(repo.main), { targets: names, agent: 'me', ...extra });
}

/** Installs a hook for every worktree of the repo (the hooks folder is shared). */
function hook(repo: TestRepo, name: string, body: string): void {
  const file = path.join(repo.main, '.git', 'hooks', name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

async function gitDirOf(worktree: string): Promise<string> {
  return git(worktree, 'rev-parse', '--absolute-git-dir');
}

const byName = (results: SyncResult[], name: string) =>
  results.find((r) => r.name === name) as SyncResult;

describe('syncWorktrees', () => {
  it('rebases a clean worktree onto the fetched base', async () => {
    const repo = await setup(['a']);
    await advanceRemote(repo, { 'upstream.txt': 'new\n' });
    const report = await syncNames(repo, ['a']);
    const a = byName(report.results, 'a');
    expect(a.status).toBe('updated');
    expect(report.fetched).toBe(true);
    expect(a.after).toBe(await git(repo.wt.a as string, 'rev-parse', 'HEAD'));
    // Rebased: linear, the base is an ancestor and the branch's commit has one parent.
    await git(repo.wt.a as string, 'merge-base', '--is-ancestor', 'origin/main', 'HEAD');
    expect(
      (await git(repo.wt.a as string, 'rev-list', '--parents', '-1', 'HEAD')).split(' '),
    ).toHaveLength(2);
    expect((await syncNames(repo, ['a'])).results[0]?.status).toBe('up-to-date');
  });

  it('moves no other branch, even with rebase.updateRefs set', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    // A stacked branch at a's commit: rebase.updateRefs would move it along with a.
    await git(a, 'branch', 'stacked');
    const stacked = await git(a, 'rev-parse', 'stacked');
    await git(repo.main, 'config', 'rebase.updateRefs', 'true');
    await advanceRemote(repo, { 'upstream.txt': 'new\n' });
    expect(byName((await syncNames(repo, ['a'])).results, 'a').status).toBe('updated');
    expect(await git(a, 'rev-parse', 'HEAD')).not.toBe(stacked);
    expect(await git(a, 'rev-parse', 'stacked')).toBe(stacked);
  });

  it('merges with strategy merge', async () => {
    const repo = await setup(['a']);
    await advanceRemote(repo, { 'upstream.txt': 'new\n' });
    const report = await syncNames(repo, ['a'], { strategy: 'merge' });
    expect(byName(report.results, 'a').status).toBe('updated');
    const parents = (await git(repo.wt.a as string, 'rev-list', '--parents', '-1', 'HEAD')).split(
      ' ',
    );
    expect(parents).toHaveLength(3);
  });

  it('skips every worktree it must not touch, with a reason, and changes none of them', async () => {
    const repo = await setup([
      'dirty',
      'staged',
      'detached',
      'deleted',
      'claimed',
      'rebasing',
      'gone',
      'ok',
    ]);
    const wt = repo.wt as Record<string, string>;
    await advanceRemote(repo, { 'shared.txt': 'ONE\ntwo\nthree\n' });
    writeFile(wt.dirty as string, 'dirty.txt', 'edited\n');
    writeFile(wt.staged as string, 'new-file.txt', 'staged\n');
    await git(wt.staged as string, 'add', 'new-file.txt');
    await git(wt.detached as string, 'switch', '-q', '--detach', 'HEAD');
    await git(repo.main, 'update-ref', '-d', 'refs/heads/deleted');
    // A rebase stopped half-way on a conflict, left for its owner.
    await commitFiles(wt.rebasing as string, { 'shared.txt': 'uno\ntwo\nthree\n' }, 'conflicting');
    await git(wt.rebasing as string, 'fetch', '-q', 'origin');
    await git(wt.rebasing as string, 'rebase', 'origin/main').catch(() => undefined);
    rmSync(wt.gone as string, { recursive: true, force: true });

    const heads: Record<string, string> = {};
    for (const name of ['dirty', 'staged', 'claimed', 'ok']) {
      heads[name] = await git(wt[name] as string, 'rev-parse', 'HEAD');
    }
    const before = await snapshotWorktree(wt.rebasing as string);
    const report = await syncNames(repo, Object.keys(wt), {
      claimOf: async (w) =>
        w.name === 'claimed'
          ? { agent: 'agent-7', task: 'controller', since: '2025-01-01T09:00:00Z', stale: false }
          : w.name === 'ok'
            ? { agent: 'me', task: 'mine', since: '2025-01-01T09:00:00Z', stale: false }
            : null,
    });
    const skip = (name: string) => {
      const r = byName(report.results, name);
      expect(r.status, `${name}: ${r.reason}`).toBe('skipped');
      return r;
    };
    expect(skip('dirty').skip).toBe('dirty');
    expect(skip('dirty').reason).toMatch(/1 unstaged.*commit/);
    expect(skip('staged').skip).toBe('dirty');
    expect(skip('staged').reason).toMatch(/1 staged/);
    expect(skip('detached').skip).toBe('detached');
    expect(skip('deleted').skip).toBe('branch-deleted');
    expect(skip('claimed').skip).toBe('claimed');
    expect(skip('claimed').reason).toMatch(/agent-7.*controller/);
    expect(skip('rebasing').skip).toBe('operation');
    expect(skip('rebasing').operation).toBe('rebase');
    expect(skip('rebasing').reason).toMatch(/rebase --continue.*rebase --abort/);
    expect(skip('gone').skip).toBe('missing');
    // Claimed by the acting agent itself: synced.
    expect(byName(report.results, 'ok').status).toBe('updated');
    expect(report.summary).toMatchObject({ updated: 1, skipped: 7 });

    for (const name of ['dirty', 'staged', 'claimed']) {
      expect(await git(wt[name] as string, 'rev-parse', 'HEAD')).toBe(heads[name]);
    }
    expect(await snapshotWorktree(wt.rebasing as string)).toEqual(before);
  });

  for (const strategy of ['rebase', 'merge'] as const) {
    it(`skips a branch with no history in common with the base (${strategy})`, async () => {
      const repo = await setup([]);
      const pages = path.join(repo.worktreeRoot, 'pages');
      await git(repo.main, 'worktree', 'add', '-q', '--orphan', '-b', 'gh-pages', pages).catch(
        async () => {
          // git < 2.42 has no worktree add --orphan.
          await git(repo.main, 'worktree', 'add', '-q', '--detach', pages);
          await git(pages, 'switch', '-q', '--orphan', 'gh-pages');
        },
      );
      await commitFiles(pages, { 'index.html': '<p>docs</p>\n' }, 'site');
      await advanceRemote(repo, { 'up.txt': 'x\n' });
      const head = await git(pages, 'rev-parse', 'HEAD');
      for (const dryRun of [true, false]) {
        const r = byName((await syncNames(repo, ['pages'], { strategy, dryRun })).results, 'pages');
        expect(r, r.reason ?? '').toMatchObject({ status: 'skipped', skip: 'unrelated' });
        expect(r.reason).toMatch(/no history in common with origin\/main/);
      }
      expect(await git(pages, 'rev-parse', 'HEAD')).toBe(head);
      expect(await git(pages, 'status', '--porcelain')).toBe('');
    });
  }

  const unreachable: [string, (repo: TestRepo) => Promise<void>, RegExp][] = [
    [
      'the remote moved away (offline)',
      async (repo) => renameSync(repo.remote as string, `${repo.remote as string}.away`),
      /does not appear to be a git repository/,
    ],
    [
      'a bad URL',
      async (repo) => void (await git(repo.main, 'remote', 'set-url', 'origin', 'file:///nowhere')),
      /does not appear to be a git repository/,
    ],
    [
      'the base branch missing on the remote',
      async (repo) => void (await git(repo.remote as string, 'branch', '-m', 'main', 'trunk')),
      /no branch main/,
    ],
  ];
  for (const [what, breakRemote, why] of unreachable) {
    it(`syncs with the local copy of the base and warns when it cannot fetch: ${what}`, async () => {
      const repo = await setup(['a']);
      await advanceRemote(repo, { 'up.txt': 'x\n' });
      await git(repo.main, 'fetch', '-q', 'origin');
      const local = await git(repo.main, 'rev-parse', 'refs/remotes/origin/main');
      await breakRemote(repo);
      const report = await syncNames(repo, ['a']);
      expect(report.fetched).toBe(false);
      expect(report.baseCommit).toBe(local);
      expect(report.warnings).toHaveLength(1);
      expect(report.warnings[0]).toMatch(why);
      expect(report.warnings[0]).toMatch(
        /could not fetch main from origin.*using the local origin\/main/,
      );
      expect(byName(report.results, 'a').status).toBe('updated');
    });
  }

  it('refuses, changing nothing, when it cannot fetch and has no local copy of the base', async () => {
    const repo = await setup(['a']);
    await git(repo.main, 'update-ref', '-d', 'refs/remotes/origin/main');
    await git(repo.main, 'remote', 'set-url', 'origin', 'file:///nowhere');
    const head = await git(repo.wt.a as string, 'rev-parse', 'HEAD');
    await expect(syncNames(repo, ['a'])).rejects.toThrow(
      /could not fetch main from origin.*no local copy of origin\/main/,
    );
    expect(await git(repo.wt.a as string, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('uses the remote as it is now, even right after another sync fetched it', async () => {
    const repo = await setup(['a', 'b']);
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    expect(byName((await syncNames(repo, ['a'])).results, 'a').status).toBe('updated');
    const moved = await advanceRemote(repo, { 'up.txt': 'y\n' });
    const report = await syncNames(repo, ['b']);
    expect(report.baseCommit).toBe(moved);
    expect(report.fetched).toBe(true);
  });

  it('skips a branch checked out in two worktrees: moving it would strand the other one', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    const twin = path.join(repo.worktreeRoot, 'twin');
    await git(repo.main, 'worktree', 'add', '-q', '-f', twin, 'a');
    const head = await git(a, 'rev-parse', 'HEAD');
    await advanceRemote(repo, { 'upstream.txt': 'new\n' });
    for (const strategy of ['rebase', 'merge'] as const) {
      const report = await syncNames(repo, ['a', 'twin'], { strategy });
      for (const name of ['a', 'twin']) {
        const r = byName(report.results, name);
        expect(r, name).toMatchObject({ status: 'skipped', skip: 'shared-branch' });
        expect(r.reason).toContain(name === 'a' ? twin : a);
      }
      expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
      expect(await git(twin, 'status', '--porcelain')).toBe('');
    }
  });

  it('a worktree whose .git file is broken fails alone; the others are synced', async () => {
    const repo = await setup(['a', 'b', 'c']);
    await advanceRemote(repo, { 'upstream.txt': 'new\n' });
    writeFileSync(path.join(repo.wt.a as string, '.git'), 'gitdir: /nonexistent/gitdir\n');
    rmSync(path.join(repo.wt.b as string, '.git'));
    execFileSync('mkfifo', [path.join(repo.wt.b as string, '.git')]);
    for (const dryRun of [true, false]) {
      const report = await syncNames(repo, ['a', 'b', 'c'], { dryRun });
      for (const name of ['a', 'b']) {
        const r = byName(report.results, name);
        expect(r.status, `${name}: ${r.reason}`).toBe('failed');
        expect(r.reason).toContain('git dir cannot be read');
        expect(r.reason).toContain(`git -C ${repo.main} worktree repair ${repo.wt[name]}`);
      }
      expect(byName(report.results, 'c').status).toBe(dryRun ? 'up-to-date' : 'updated');
    }
  });

  it('skips an unborn branch', async () => {
    const repo = await makeRepo({ remote: true });
    const fresh = path.join(tempDir(), 'fresh');
    await git(repo.root, 'init', '-q', '-b', 'main', fresh);
    await git(fresh, 'remote', 'add', 'origin', repo.remote as string);
    const report = await syncWorktrees(await openRepo(fresh), { agent: 'me' });
    expect(report.results[0]).toMatchObject({ status: 'skipped', skip: 'unborn' });
  });

  for (const strategy of ['rebase', 'merge'] as const) {
    it(`aborts a conflicting ${strategy}, leaves the worktree byte-identical and goes on`, async () => {
      const repo = await setup(['a', 'b']);
      const a = repo.wt.a as string;
      await commitFiles(a, { 'shared.txt': 'mine\ntwo\nthree\n' }, 'a edits line 1');
      await commitFiles(a, { 'a.txt': 'second\n' }, 'a goes on');
      writeFile(a, 'notes.txt', 'untracked, must survive\n');
      await advanceRemote(repo, { 'shared.txt': 'theirs\ntwo\nthree\n' });
      const before = await snapshotWorktree(a);

      const report = await syncNames(repo, ['a', 'b'], { strategy });
      const ra = byName(report.results, 'a');
      expect(ra.status).toBe('conflict');
      expect(ra.conflicts).toEqual(['shared.txt']);
      expect(ra.before).toBe(ra.after);
      expect(await snapshotWorktree(a)).toEqual(before);
      expect(await git(a, 'stash', 'list')).toBe('');
      // The next worktree was still synced.
      expect(byName(report.results, 'b').status).toBe('updated');
    });
  }

  for (const strategy of ['rebase', 'merge'] as const) {
    it(`reports a ${strategy} refused over an untracked file as failed, file and worktree intact`, async () => {
      const repo = await setup(['a']);
      const a = repo.wt.a as string;
      writeFile(a, 'up.txt', 'mine, untracked\n');
      await advanceRemote(repo, { 'up.txt': 'theirs\n' });
      const before = await snapshotWorktree(a);
      const report = await syncNames(repo, ['a'], { strategy });
      const ra = byName(report.results, 'a');
      expect(ra.status).toBe('failed');
      expect(ra.reason).toMatch(/would be overwritten.*up\.txt/);
      expect(await snapshotWorktree(a)).toEqual(before);
    });
  }

  it('does not let git overwrite an ignored file the base adds', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await commitFiles(a, { '.gitignore': 'build/\n' }, 'ignore build');
    writeFile(a, 'build/out.bin', 'precious local build\n');
    await advanceRemote(repo, { 'build/out.bin': 'committed upstream\n' });
    const before = await snapshotWorktree(a, ['build/out.bin']);
    for (const strategy of ['rebase', 'merge'] as const) {
      const ra = byName((await syncNames(repo, ['a'], { strategy })).results, 'a');
      expect(ra.status).toBe('failed');
      expect(ra.reason).toMatch(/ignored files would be overwritten.*build\/out\.bin/);
      expect(await snapshotWorktree(a, ['build/out.bin'])).toEqual(before);
    }
  });

  it('does not let git delete an ignored file where the base adds a folder', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await commitFiles(a, { '.gitignore': '/build\n' }, 'ignore build');
    writeFile(a, 'build', 'precious local notes\n');
    await advanceRemote(repo, { 'build/out.txt': 'committed upstream\n' });
    for (const strategy of ['rebase', 'merge'] as const) {
      const ra = byName((await syncNames(repo, ['a'], { strategy })).results, 'a');
      expect(ra.status).toBe('failed');
      expect(ra.reason).toMatch(/would be overwritten.*: build;/);
      expect(readFileSync(path.join(a, 'build'), 'utf8')).toBe('precious local notes\n');
    }
  });

  it('keeps a file saved while the rebase runs, undoes the rebase and says so', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await commitFiles(a, { 'g.txt': 'g2\n' }, 'a adds g');
    await commitFiles(a, { 'g.txt': 'g3\n' }, 'a edits g');
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const head = await git(a, 'rev-parse', 'HEAD');
    // An editor saving into the worktree once the rebase has checked out the base: the file
    // git is about to replay, and one it never touches.
    hook(
      repo,
      'post-checkout',
      `[ -e ${JSON.stringify(path.join(repo.root, 'saved'))} ] && exit 0
: > ${JSON.stringify(path.join(repo.root, 'saved'))}
printf 'saved by the editor\\n' > g.txt
printf 'also saved\\n' > shared.txt`,
    );
    const r = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/undone.*kept.*g\.txt, shared\.txt/);
    expect(readFileSync(path.join(a, 'g.txt'), 'utf8')).toBe('saved by the editor\n');
    expect(readFileSync(path.join(a, 'shared.txt'), 'utf8')).toBe('also saved\n');
    expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(a, 'symbolic-ref', 'HEAD')).toBe('refs/heads/a');
    expect(await git(a, 'status', '--porcelain')).toBe(' M g.txt\n M shared.txt');
    expect(existsSync(path.join(await gitDirOf(a), 'rebase-merge'))).toBe(false);
  });

  it('reports a file saved between its checks and the rebase: git refuses, nothing changes', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await advanceRemote(repo, { 'shared.txt': 'ONE\ntwo\nthree\n' });
    const head = await git(a, 'rev-parse', 'HEAD');
    // Saved after sync found the worktree clean, before git starts: here from pre-rebase.
    hook(repo, 'pre-rebase', `printf 'saved\\n' > shared.txt`);
    const r = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/nothing was synced, the branch is where it was/);
    expect(readFileSync(path.join(a, 'shared.txt'), 'utf8')).toBe('saved\n');
    expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
    expect(await git(a, 'symbolic-ref', 'HEAD')).toBe('refs/heads/a');
    expect(existsSync(path.join(await gitDirOf(a), 'tmc-orch-sync.json'))).toBe(false);
  });

  it('leaves the rebase stopped, and says how to end it, when a commit was made on it meanwhile', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await commitFiles(a, { 'g.txt': 'g2\n' }, 'a adds g');
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    // Someone commits in the worktree while the rebase runs (on its detached HEAD), and saves a
    // file the rebase was about to write, so that it stops.
    hook(
      repo,
      'post-checkout',
      `[ -e ${JSON.stringify(path.join(repo.root, 'done'))} ] && exit 0
: > ${JSON.stringify(path.join(repo.root, 'done'))}
printf 'mine\\n' > mine.txt
git add mine.txt && git commit -q -m 'made during the sync'
printf 'saved\\n' > g.txt`,
    );
    const first = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(first.status).toBe('failed');
    expect(first.operation).toBe('rebase');
    expect(first.reason).toMatch(/was made on the rebase's detached HEAD.*rebase --continue/);
    const made = await git(a, 'log', '-1', '--format=%s', 'HEAD');
    expect(made).toBe('made during the sync');
    expect(readFileSync(path.join(a, 'g.txt'), 'utf8')).toBe('saved\n');
    // The next sync finds the same, and changes nothing either.
    const again = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(again.status).toBe('failed');
    expect(await git(a, 'log', '-1', '--format=%s', 'HEAD')).toBe('made during the sync');
  });

  it('skips, under rebase, a branch whose merge commit has changes of its own', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await git(a, 'switch', '-q', '-c', 'side');
    await commitFiles(a, { 'side.txt': 'side\n' }, 'side work');
    await git(a, 'switch', '-q', 'a');
    await commitFiles(a, { 'a.txt': 'a again\n' }, 'more a');
    // A fix made while merging: it lives in the merge commit alone.
    await git(a, 'merge', '-q', '--no-ff', '--no-commit', 'side');
    writeFile(a, 'fix.txt', 'fixed while merging\n');
    await git(a, 'add', 'fix.txt');
    await git(a, 'commit', '-q', '-m', 'merge side, with a fix');
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const head = await git(a, 'rev-parse', 'HEAD');
    const r = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(r).toMatchObject({ status: 'skipped', skip: 'merge-commits' });
    expect(r.reason).toMatch(/fix\.txt.*--strategy merge/);
    expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
    const merged = byName((await syncNames(repo, ['a'], { strategy: 'merge' })).results, 'a');
    expect(merged.status).toBe('updated');
    expect(readFileSync(path.join(a, 'fix.txt'), 'utf8')).toBe('fixed while merging\n');
  });

  it('rebases a branch whose merge commits git would redo identically, keeping every change', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await git(a, 'switch', '-q', '-c', 'side');
    await commitFiles(a, { 'side.txt': 'side\n' }, 'side work');
    await git(a, 'switch', '-q', 'a');
    await commitFiles(a, { 'a.txt': 'a again\n' }, 'more a');
    await git(a, 'merge', '-q', '--no-ff', '--no-edit', 'side');
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const r = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(r.status, r.reason ?? '').toBe('updated');
    expect(readFileSync(path.join(a, 'side.txt'), 'utf8')).toBe('side\n');
    expect(readFileSync(path.join(a, 'a.txt'), 'utf8')).toBe('a again\n');
  });

  it('skips a rebase that would drop a change the base took and then reverted', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    const fix = await commitFiles(a, { 'shared.txt': 'one\ntwo\nthree\nfour\n' }, 'a adds four');
    const clone = path.join(tempDir(), 'clone');
    await git(repo.root, 'clone', '-q', repo.remote as string, clone);
    await git(clone, 'fetch', '-q', repo.main, `${fix}:refs/heads/fix`);
    await git(clone, 'cherry-pick', fix);
    await git(clone, 'revert', '--no-edit', 'HEAD');
    await git(clone, 'push', '-q', 'origin', 'main');
    const head = await git(a, 'rev-parse', 'HEAD');
    const r = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(r).toMatchObject({ status: 'skipped', skip: 'drops-changes' });
    expect(r.reason).toMatch(/shared\.txt/);
    expect(await git(a, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('reports a rebase whose result lacks changes of the branch as failed, with the way back', async () => {
    const repo = await setup(['a']);
    const a = repo.wt.a as string;
    await commitFiles(a, { 'last.txt': 'last\n' }, 'a goes on');
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const head = await git(a, 'rev-parse', 'HEAD');
    // Whatever drops a commit after git rebase is done: here a post-rewrite hook.
    hook(repo, 'post-rewrite', 'git reset -q --keep HEAD~1');
    const r = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(
      new RegExp(`lacks changes of the branch in last\\.txt.*reset --keep ${head}`),
    );
  });

  it('skips a worktree another live tmc-orch sync holds', async () => {
    const repo = await setup(['a']);
    await advanceRemote(repo, { 'up.txt': 'x\n' });
    const gitDir = (await git(repo.wt.a as string, 'rev-parse', '--absolute-git-dir')).trim();
    const lock = path.join(gitDir, SYNC_LOCK);
    const release = await tryLock(lock);
    const held = byName((await syncNames(repo, ['a'])).results, 'a');
    expect(held).toMatchObject({ status: 'skipped', skip: 'busy' });
    expect(held.reason).toMatch(/another tmc-orch sync is working on it/);
    await release?.();
    expect(byName((await syncNames(repo, ['a'])).results, 'a').status).toBe('updated');
    expect(existsSync(lock)).toBe(false);
  });

  it('gives every result of sync --json the same keys in the same order, whatever its status', async () => {
    const repo = await setup(['ok', 'dirty', 'clash', 'blocked', 'broken']);
    const wt = repo.wt as Record<string, string>;
    await commitFiles(wt.clash as string, { 'shared.txt': 'mine\ntwo\nthree\n' }, 'clash');
    writeFile(wt.blocked as string, 'up.txt', 'mine, untracked\n');
    await advanceRemote(repo, { 'shared.txt': 'theirs\ntwo\nthree\n', 'up.txt': 'x\n' });
    writeFile(wt.dirty as string, 'dirty.txt', 'edited\n');
    writeFileSync(path.join(wt.broken as string, '.git'), 'gitdir: /nonexistent/gitdir\n');
    const keys = [
      'name',
      'kind',
      'path',
      'branch',
      'status',
      'before',
      'after',
      'reason',
      'skip',
      'operation',
      'conflicts',
      'recovered',
      'stack',
    ];
    const seen = new Set<string>();
    const sync = async (...args: string[]) => {
      const { json } = await runJsonIn<{ results: Record<string, unknown>[] }>(
        ['sync', '--all', ...args],
        { cwd: repo.main },
      );
      for (const r of json.results) {
        expect(Object.keys(r), `${String(r.name)}: ${String(r.status)}`).toEqual(keys);
        seen.add(`${String(r.status)}${r.after === null ? '' : ' after'}`);
      }
    };
    await sync();
    await sync();
    await advanceRemote(repo, { 'later.txt': 'y\n' });
    await git(repo.main, 'fetch', '-q', 'origin');
    await sync('--dry-run');
    // The dry run's "would update" and "would conflict" too (no after).
    expect([...seen].sort()).toEqual([
      'conflict',
      'conflict after',
      'failed',
      'failed after',
      'skipped',
      'up-to-date after',
      'updated',
      'updated after',
    ]);
  });

  it('calls onResult once per worktree and rejects unknown names before doing anything', async () => {
    const repo = await setup(['a', 'b']);
    const seen: string[] = [];
    await syncNames(repo, ['a', 'b'], {
      onResult: (r, c) => void seen.push(`${r.name}:${r.status}:${c.strategy}:${c.base}`),
    });
    expect(seen).toEqual(['a:up-to-date:rebase:origin/main', 'b:up-to-date:rebase:origin/main']);
    await expect(syncNames(repo, ['a', 'nope'])).rejects.toThrow(/no worktree named "nope"/);
    await expect(syncNames(repo, ['../x'])).rejects.toThrow();
  });
});
