import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SplitData } from '../../src/commands/split.js';
import type { LineReport } from '../../src/linecount/count.js';
import type { SyncReport, SyncResult } from '../../src/sync/types.js';
import { kcpTemplates, squashMerge } from '../helpers/fixtures.js';
import { smallBranchFiles } from '../helpers/kcp-branch.js';
import { git, type TestRepo } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';

// sync --all restacks the parts of a stack that no worktree holds (split --apply without
// --worktrees), on their branches alone.

const templates = kcpTemplates({
  whole: {},
  /** Three parts: pkg/api, pkg/ctrl (importing it, with its test), docs. */
  small: { branch: 'feat', files: smallBranchFiles() },
});

/** Many git processes per part on a loaded machine. */
const HEAVY = { timeout: 240_000 };

async function split(repo: TestRepo): Promise<SplitData> {
  const { json, exitCode, stderr } = await runJsonIn<SplitData>(
    ['split', '--apply', '--name', 's'],
    { cwd: repo.main },
  );
  expect(exitCode, stderr).toBe(0);
  return json;
}

async function syncAll(repo: TestRepo, ...args: string[]) {
  return runJsonIn<SyncReport>(['sync', '--all', ...args], { cwd: repo.main });
}

const resultOf = (report: SyncReport, name: string, kind: SyncResult['kind'] = 'branch') =>
  report.results.find((r) => r.name === name && r.kind === kind);

/** The recorded parent of a branch, or null when none is recorded. */
async function parentOf(repo: TestRepo, branch: string): Promise<string | null> {
  const config = await git(repo.main, 'config', '--list');
  const line = config.split('\n').find((l) => l.startsWith(`branch.${branch}.tmcorchparent=`));
  return line === undefined ? null : line.slice(line.indexOf('=') + 1);
}

const worktreePaths = async (repo: TestRepo) =>
  (await git(repo.main, 'worktree', 'list', '--porcelain'))
    .split('\n')
    .filter((l) => l.startsWith('worktree '));

/** What a commit says of itself besides its tree and parents: author, date, message. */
const authorship = (repo: TestRepo, rev: string) =>
  git(repo.main, 'log', '-1', '--format=%an%x00%ae%x00%ad%x00%B', rev);

describe('sync --all, parts of a stack without a worktree', () => {
  it(
    'restacks them onto the base once part 1 is squash-merged: each under the limit, the top unchanged',
    HEAVY,
    async () => {
      const repo = templates.whole();
      const parts = (await split(repo)).applied!.parts;
      const n = parts.length;
      const before = new Map<string, { commit: string; authorship: string }>();
      for (const part of parts) {
        before.set(part.branch, {
          commit: part.commit,
          authorship: await authorship(repo, part.branch),
        });
      }
      const worktreesBefore = await worktreePaths(repo);
      await squashMerge(repo, 's-1');

      const sync = await syncAll(repo);
      expect(sync.exitCode, sync.stderr).toBe(0);
      // Part 1 is its own PR against the base (no record): nothing restacks it.
      expect(sync.json.results.map((r) => r.name)).not.toContain('s-1');
      // Part 2 goes onto the base, and its record says its PR is against the base now.
      expect(resultOf(sync.json, 's-2')).toMatchObject({
        kind: 'branch',
        path: null,
        status: 'updated',
        before: before.get('s-2')!.commit,
        stack: { onto: 'origin/main', parent: null, previousParent: 's-1' },
      });
      expect(await git(repo.main, 'rev-parse', 's-2^')).toBe(
        await git(repo.main, 'rev-parse', 'origin/main'),
      );
      expect(await parentOf(repo, 's-2')).toBeNull();
      // The parts above go onto their parent's new tip, in stack order, one commit each.
      for (const part of parts.slice(2)) {
        const parent = `s-${part.index - 1}`;
        expect(resultOf(sync.json, part.branch)).toMatchObject({
          kind: 'branch',
          status: 'updated',
          stack: { onto: parent, parent, previousParent: parent },
        });
        const parentTip = await git(repo.main, 'rev-parse', parent);
        expect(await git(repo.main, 'rev-parse', `${part.branch}^`)).toBe(parentTip);
        expect(await parentOf(repo, part.branch)).toBe(parent);
        expect(await git(repo.main, 'config', `branch.${part.branch}.tmcOrchForkPoint`)).toBe(
          parentTip,
        );
      }
      for (const part of parts.slice(1)) {
        // Each commit keeps its author, date and message, as git rebase keeps them.
        expect(await authorship(repo, part.branch)).toBe(before.get(part.branch)!.authorship);
        // Each part is still its own PR under the limit, as large as it was.
        const check = await runJsonIn<LineReport>(['check', part.branch], { cwd: repo.main });
        expect(check.exitCode, check.stderr).toBe(0);
        expect(check.json.counted.lines).toBe(part.check.lines);
      }
      // The top of the stack differs from what it was only by the base's own change.
      expect(
        await git(repo.main, 'diff', '--name-only', before.get(`s-${n}`)!.commit, `s-${n}`),
      ).toBe('OWNERS');
      // No worktree was made for them, and nothing is left to do.
      expect(await worktreePaths(repo)).toEqual(worktreesBefore);
      const again = await syncAll(repo, '--dry-run');
      // Part 2 is no part of a stack any more (its PR is against the base), so it is not listed.
      expect(resultOf(again.json, 's-2')).toBeUndefined();
      for (const part of parts.slice(2)) {
        expect(resultOf(again.json, part.branch)?.status).toBe('up-to-date');
      }
      // Each restack is in the status log, naming the branch (it belongs to no worktree).
      const log = await runIn(['log', 'show'], { cwd: repo.main });
      expect(log.stdout).toContain('sync: branch s-2 (no worktree) rebase onto origin/main');
      const text = await runIn(['sync', '--all', '--dry-run'], { cwd: repo.main });
      expect(text.stdout).toMatch(/up to date {2}branch s-3 \(onto s-2\) \(no worktree\)/);
    },
  );

  it('merges the parent into a part with --strategy merge, as it would in a worktree', async () => {
    const repo = templates.small();
    await split(repo);
    const [two, three] = [
      await git(repo.main, 'rev-parse', 's-2'),
      await git(repo.main, 'rev-parse', 's-3'),
    ];
    await squashMerge(repo, 's-1');

    const sync = await syncAll(repo, '--strategy', 'merge');
    expect(sync.exitCode, sync.stderr).toBe(0);
    expect(resultOf(sync.json, 's-2')).toMatchObject({ status: 'updated' });
    // A merge commit of the branch and what it is synced onto; nothing of the branch rewritten.
    const parents = async (rev: string) =>
      (await git(repo.main, 'rev-list', '--parents', '-1', rev)).split(' ').slice(1);
    expect(await parents('s-2')).toEqual([two, await git(repo.main, 'rev-parse', 'origin/main')]);
    expect(await parents('s-3')).toEqual([three, await git(repo.main, 'rev-parse', 's-2')]);
    expect(await git(repo.main, 'log', '-1', '--format=%s', 's-2')).toBe(
      'Merge origin/main into s-2',
    );
    expect(await parentOf(repo, 's-2')).toBeNull();
    // The top holds the branch's files as they were, and the base's own change.
    expect(await git(repo.main, 'diff', '--name-only', three, 's-3')).toBe('OWNERS');
  });

  it('leaves a part whose restack conflicts untouched, and says how to do it by hand', async () => {
    const repo = templates.small();
    await split(repo);
    const [two, three] = [
      await git(repo.main, 'rev-parse', 's-2'),
      await git(repo.main, 'rev-parse', 's-3'),
    ];
    // The base adds its own pkg/ctrl/ctrl.go, which part 2 adds too.
    await squashMerge(repo, 's-1', { 'pkg/ctrl/ctrl.go': 'package ctrl // theirs\n' });

    const sync = await syncAll(repo);
    expect(sync.exitCode).toBe(1);
    const result = resultOf(sync.json, 's-2');
    expect(result).toMatchObject({
      kind: 'branch',
      status: 'conflict',
      conflicts: ['pkg/ctrl/ctrl.go'],
      after: two,
    });
    expect(result?.reason).toContain('not restacked, the branch is unchanged');
    expect(result?.reason).toContain(
      'check it out (tmc-orch worktree add <name> --branch s-2), then there: git rebase --onto origin/main ',
    );
    expect(await git(repo.main, 'rev-parse', 's-2')).toBe(two);
    expect(await parentOf(repo, 's-2')).toBe('s-1');
    expect(await git(repo.main, 'reflog', 'show', '--format=%H', 'refs/heads/s-2')).toBe(two);
    // Its own part above stays on it: nothing below moved.
    expect(resultOf(sync.json, 's-3')).toMatchObject({ status: 'up-to-date' });
    expect(await git(repo.main, 'rev-parse', 's-3')).toBe(three);
  });

  it(
    'never moves a part that a worktree holds: checked out, or being rebased there',
    HEAVY,
    async () => {
      const repo = templates.small();
      await split(repo);
      for (const name of ['s-2', 's-3']) {
        const added = await runIn(['worktree', 'add', name], { cwd: repo.main });
        expect(added.exitCode, added.stderr).toBe(0);
      }
      const [two, three] = [
        path.join(repo.worktreeRoot, 's-2'),
        path.join(repo.worktreeRoot, 's-3'),
      ];
      const tips = [await git(two, 'rev-parse', 'HEAD'), await git(three, 'rev-parse', 'HEAD')];
      // s-2 has uncommitted work; s-3 is in a rebase stopped by hand (HEAD detached meanwhile).
      writeFileSync(path.join(two, 'pkg/ctrl/ctrl.go'), 'work in progress\n');
      await git(three, 'rebase', '-q', '--exec', 'false', 'HEAD^').catch(() => undefined);
      expect(await git(three, 'branch', '--show-current')).toBe('');
      await squashMerge(repo, 's-1');

      const sync = await syncAll(repo);
      expect(sync.json.results.filter((r) => r.kind === 'branch')).toEqual([]);
      expect(resultOf(sync.json, 's-2', 'worktree')).toMatchObject({
        status: 'skipped',
        skip: 'dirty',
      });
      expect(resultOf(sync.json, 's-3', 'worktree')).toMatchObject({
        status: 'skipped',
        skip: 'operation',
      });
      expect(await git(repo.main, 'rev-parse', 's-2')).toBe(tips[0]);
      expect(await git(repo.main, 'rev-parse', 's-3')).toBe(tips[1]);
      expect(await parentOf(repo, 's-2')).toBe('s-1');
    },
  );

  it('restacks a part without a worktree onto a part with one, after it', HEAVY, async () => {
    const repo = templates.small();
    await split(repo);
    const added = await runIn(['worktree', 'add', 's-2'], { cwd: repo.main });
    expect(added.exitCode, added.stderr).toBe(0);
    await squashMerge(repo, 's-1');

    const sync = await syncAll(repo);
    expect(sync.exitCode, sync.stderr).toBe(0);
    // Stack order across both kinds: s-2 in its worktree first, then s-3 onto its new tip.
    const order = sync.json.results.map((r) => `${r.kind} ${r.name}`);
    expect(order.indexOf('worktree s-2')).toBeLessThan(order.indexOf('branch s-3'));
    expect(resultOf(sync.json, 's-2', 'worktree')).toMatchObject({ status: 'updated' });
    expect(resultOf(sync.json, 's-3')).toMatchObject({ status: 'updated', stack: { onto: 's-2' } });
    expect(await git(repo.main, 'rev-parse', 's-3^')).toBe(
      await git(repo.main, 'rev-parse', 's-2'),
    );
  });
});
