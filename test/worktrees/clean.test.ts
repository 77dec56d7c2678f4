import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { commitFiles, git, makeRepo, writeFile } from '../helpers/repo.js';
import { squashedWorktree } from '../helpers/fixtures.js';

interface CleanJson {
  worktrees: { name: string; action: string; how?: string; reason?: string }[];
}

const branches = async (main: string) =>
  (await git(main, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/')).split('\n');

describe('worktree clean', () => {
  it('removes a squash-merged worktree and its branch, and writes the log', async () => {
    const repo = await makeRepo();
    const wt = await squashedWorktree(repo.main, 'done');
    const result = await runJsonIn<CleanJson>(['worktree', 'clean'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(result.json.worktrees).toEqual([
      expect.objectContaining({ name: 'done', action: 'removed', how: 'squashed' }),
    ]);
    expect(existsSync(wt)).toBe(false);
    expect(await branches(repo.main)).not.toContain('done');
    const logs = readdirSync(repo.sharedDir).filter((f) => f.endsWith('.md') || f.includes('log'));
    const text = logs.map((f) => readFileSync(path.join(repo.sharedDir, f), 'utf8')).join('');
    expect(text).toContain('removed by worktree clean');
  });

  it('removes a worktree whose ignored files are unchanged copies from setup, keeps an edited one', async () => {
    const repo = await makeRepo();
    writeFile(repo.main, '.gitignore', '.env\nconf/\n');
    writeFile(repo.main, '.worktreeinclude', '.env\nconf/\n');
    await git(repo.main, 'add', '.gitignore', '.worktreeinclude');
    await git(repo.main, 'commit', '-q', '-m', 'ignore and include');
    writeFile(repo.main, '.env', 'SECRET=1\n');
    writeFile(repo.main, 'conf/local.json', '{}\n');
    const copied = await squashedWorktree(repo.main, 'copied');
    expect(readFileSync(path.join(copied, '.env'), 'utf8')).toBe('SECRET=1\n');
    const edited = await squashedWorktree(repo.main, 'edited');
    writeFile(edited, 'conf/local.json', '{"mine": true}\n');
    const result = await runJsonIn<CleanJson>(['worktree', 'clean'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    const by = Object.fromEntries(result.json.worktrees.map((w) => [w.name, w]));
    expect(by.copied).toEqual(expect.objectContaining({ action: 'removed' }));
    expect(by.edited).toEqual(expect.objectContaining({ action: 'kept' }));
    expect(by.edited!.reason).toContain('conf/');
    expect(existsSync(copied)).toBe(false);
    expect(readFileSync(path.join(edited, 'conf/local.json'), 'utf8')).toBe('{"mine": true}\n');
  });

  it('keeps a worktree whose branch has no work of its own yet, though the base moved past it', async () => {
    const repo = await makeRepo();
    const added = await runJsonIn<{ path: string }>(['worktree', 'add', 'fresh'], {
      cwd: repo.main,
    });
    expect(added.exitCode).toBe(0);
    await commitFiles(repo.main, { 'later.txt': 'later\n' }, 'the base moves on');
    const result = await runJsonIn<CleanJson>(['worktree', 'clean'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(result.json.worktrees).toEqual([
      expect.objectContaining({ name: 'fresh', action: 'kept' }),
    ]);
    expect(existsSync(added.json.path)).toBe(true);
    const status = await runJsonIn<{ worktrees: { name: string; integrated: unknown }[] }>(
      ['status', '--no-conflicts'],
      { cwd: repo.main },
    );
    expect(status.json.worktrees.find((w) => w.name === 'fresh')?.integrated).toBeNull();
  });

  it('leaves claimed, dirty, untracked, ignored-work and unintegrated worktrees alone', async () => {
    const repo = await makeRepo();
    writeFile(repo.main, '.gitignore', '.env\nnode_modules/\n');
    await git(repo.main, 'add', '.gitignore');
    await git(repo.main, 'commit', '-q', '-m', 'ignore');
    const claimed = await squashedWorktree(repo.main, 'claimed');
    const claim = await runIn(['claim', 'claimed'], {
      cwd: repo.main,
      env: { TMC_AGENT: 'agent-other' },
    });
    expect(claim.exitCode).toBe(0);
    const dirty = await squashedWorktree(repo.main, 'dirty');
    writeFile(dirty, 'dirty.txt', 'changed\n');
    const untracked = await squashedWorktree(repo.main, 'untracked');
    writeFile(untracked, 'notes.txt', 'mine\n');
    const ignored = await squashedWorktree(repo.main, 'ignored');
    writeFile(ignored, '.env', 'SECRET=1\n');
    // node_modules/ is disposable by default: it keeps nothing.
    const disposable = await squashedWorktree(repo.main, 'disposable');
    writeFile(disposable, 'node_modules/x/index.js', '\n');
    const open = (
      await runJsonIn<{ path: string }>(['worktree', 'add', 'open'], { cwd: repo.main })
    ).json.path;
    await commitFiles(open, { 'open.txt': 'open\n' }, 'open work');

    const before = await git(repo.main, 'worktree', 'list', '--porcelain');
    const dry = await runJsonIn<CleanJson>(['worktree', 'clean', '--dry-run'], { cwd: repo.main });
    expect(dry.exitCode).toBe(0);
    expect(await git(repo.main, 'worktree', 'list', '--porcelain')).toBe(before);
    const byName = (json: CleanJson) =>
      Object.fromEntries(json.worktrees.map((w) => [w.name, w.action]));
    expect(byName(dry.json)).toEqual({
      claimed: 'kept',
      dirty: 'kept',
      untracked: 'kept',
      ignored: 'kept',
      disposable: 'would-remove',
      open: 'kept',
    });

    const result = await runJsonIn<CleanJson>(['worktree', 'clean'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(byName(result.json)).toMatchObject({ disposable: 'removed', claimed: 'kept' });
    for (const kept of [claimed, dirty, untracked, ignored, open])
      expect(existsSync(kept)).toBe(true);
    expect(readFileSync(path.join(ignored, '.env'), 'utf8')).toBe('SECRET=1\n');
    expect(readFileSync(path.join(untracked, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(disposable)).toBe(false);
    const left = await branches(repo.main);
    for (const b of ['claimed', 'dirty', 'untracked', 'ignored', 'open']) expect(left).toContain(b);
    expect(left).not.toContain('disposable');
    const reasons = Object.fromEntries(result.json.worktrees.map((w) => [w.name, w.reason]));
    expect(reasons.claimed).toContain('agent-other');
    expect(reasons.open).toContain('not integrated');
  });

  it('keeps an integrated worktree with an operation stopped half-way; remove refuses it too', async () => {
    const repo = await makeRepo();
    const wt = await squashedWorktree(repo.main, 'picking');
    // Picking the branch's own head again is empty: git stops there, the tree clean, on the branch.
    const result = await execa('git', ['cherry-pick', 'HEAD'], { cwd: wt, reject: false });
    expect(result.exitCode).toBe(1);
    const clean = await runJsonIn<CleanJson>(['worktree', 'clean'], { cwd: repo.main });
    expect(clean.json.worktrees).toEqual([
      expect.objectContaining({
        name: 'picking',
        action: 'kept',
        reason: 'cherry-pick in progress',
      }),
    ]);
    const remove = await runIn(['worktree', 'remove', 'picking'], { cwd: repo.main });
    expect(remove.exitCode).toBe(1);
    expect(remove.stderr).toContain('has a cherry-pick in progress');
    expect(remove.stderr).toContain('cherry-pick --abort');
    expect(existsSync(wt)).toBe(true);
    expect(
      (await runIn(['worktree', 'remove', 'picking', '--force'], { cwd: repo.main })).exitCode,
    ).toBe(0);
  });

  it('releases the acting agent’s own claim on an integrated worktree', async () => {
    const repo = await makeRepo();
    await squashedWorktree(repo.main, 'mine');
    expect((await runIn(['claim', 'mine'], { cwd: repo.main })).exitCode).toBe(0);
    const result = await runJsonIn<CleanJson>(['worktree', 'clean'], { cwd: repo.main });
    expect(result.json.worktrees).toEqual([expect.objectContaining({ action: 'removed' })]);
    const claims = await git(repo.main, 'for-each-ref', 'refs/tmc-orch/claims/');
    expect(claims).toBe('');
  });

  it('worktree remove --delete-branch accepts a squash-merged branch', async () => {
    const repo = await makeRepo();
    const wt = await squashedWorktree(repo.main, 'sq');
    const result = await runJsonIn<{ branchDeleted: boolean }>(
      ['worktree', 'remove', 'sq', '--delete-branch'],
      { cwd: repo.main },
    );
    expect(result.exitCode).toBe(0);
    expect(result.json.branchDeleted).toBe(true);
    expect(existsSync(wt)).toBe(false);
  });

  it('status shows a branch fast-forwarded into the base as integrated while the base stays there', async () => {
    const repo = await makeRepo();
    const done = (
      await runJsonIn<{ path: string }>(['worktree', 'add', 'done'], { cwd: repo.main })
    ).json.path;
    await commitFiles(done, { 'done.txt': 'done\n' }, 'work of done');
    await git(repo.main, 'merge', '-q', '--ff-only', 'done');
    const status = await runJsonIn<{ worktrees: { name: string; integrated: string | null }[] }>(
      ['status', '--no-conflicts'],
      { cwd: repo.main },
    );
    expect(status.json.worktrees.find((w) => w.name === 'done')?.integrated).toBe('merged');
    const dry = await runJsonIn<CleanJson>(['worktree', 'clean', '--dry-run'], { cwd: repo.main });
    expect(dry.json.worktrees).toEqual([
      expect.objectContaining({ name: 'done', action: 'would-remove' }),
    ]);
  });

  it('status tells a merged branch from a new branch started at the same commit', async () => {
    const repo = await makeRepo();
    const done = (
      await runJsonIn<{ path: string }>(['worktree', 'add', 'done'], { cwd: repo.main })
    ).json.path;
    await commitFiles(done, { 'done.txt': 'done\n' }, 'work of done');
    await git(repo.main, 'merge', '-q', '--ff-only', 'done');
    const head = await git(repo.main, 'rev-parse', 'HEAD');
    expect(
      (await runIn(['worktree', 'add', 'fresh', '--from', head], { cwd: repo.main })).exitCode,
    ).toBe(0);
    await commitFiles(repo.main, { 'later.txt': 'later\n' }, 'the base moves on');
    const status = await runJsonIn<{ worktrees: { name: string; integrated: string | null }[] }>(
      ['status', '--no-conflicts'],
      { cwd: repo.main },
    );
    const integrated = Object.fromEntries(status.json.worktrees.map((w) => [w.name, w.integrated]));
    expect(integrated).toEqual({ repo: null, done: 'merged', fresh: null });
  });

  it('status shows which branches are integrated, and how', async () => {
    const repo = await makeRepo();
    await squashedWorktree(repo.main, 'sq');
    const open = (
      await runJsonIn<{ path: string }>(['worktree', 'add', 'open'], { cwd: repo.main })
    ).json.path;
    await commitFiles(open, { 'open.txt': 'open\n' }, 'open work');
    await runJsonIn(['worktree', 'add', 'fresh'], { cwd: repo.main });
    const status = await runJsonIn<{ worktrees: { name: string; integrated: string | null }[] }>(
      ['status', '--no-conflicts'],
      { cwd: repo.main },
    );
    const integrated = Object.fromEntries(status.json.worktrees.map((w) => [w.name, w.integrated]));
    expect(integrated).toEqual({ repo: null, sq: 'squashed', open: null, fresh: null });
    const human = await runIn(['status', '--no-conflicts'], { cwd: repo.main });
    expect(human.stdout).toMatch(/sq .*clean integrated \(squashed\)/);
  });
});
