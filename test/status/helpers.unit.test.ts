import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDiffTreeBatch } from '../../src/git/index.js';
import { CommitGraph } from '../../src/status/graph.js';
import { planForecast } from '../../src/status/forecast.js';
import { touchSamePaths } from '../../src/status/conflicts.js';
import { syncLogMessage } from '../../src/sync/sync.js';
import {
  conflicted,
  failed,
  skipped,
  upToDate,
  updated,
  wouldUpdate,
} from '../../src/sync/result.js';
import { type SyncResultBase } from '../../src/sync/types.js';

describe('parseDiffTreeBatch', () => {
  const blob = (c: string) => c.repeat(40);
  const raw = (status: string, mode: string, id: string) =>
    `:100644 ${mode} ${blob('1')} ${id} ${status}`;

  it('splits the raw records at the commit ids given, in order, with what the commit holds', () => {
    const out =
      [
        'c1',
        raw('M', '100644', blob('a')),
        'a.txt',
        raw('D', '000000', blob('0')),
        'dir/b.txt',
        'c2',
        'c3',
        raw('M', '100755', blob('b')),
        'x',
      ].join('\0') + '\0';
    expect(parseDiffTreeBatch(out, ['c1', 'c2', 'c3'])).toEqual([
      [
        { path: 'a.txt', mode: '100644', blob: blob('a') },
        { path: 'dir/b.txt', mode: '000000', blob: blob('0') },
      ],
      [],
      [{ path: 'x', mode: '100755', blob: blob('b') }],
    ]);
  });

  it('keeps a path equal to a commit id, or starting with a colon, as a path', () => {
    const out =
      ['c1', raw('M', '100644', blob('a')), 'c2', raw('A', '100644', blob('b')), ':x', 'c2'].join(
        '\0',
      ) + '\0';
    expect(parseDiffTreeBatch(out, ['c1', 'c2']).map((l) => l.map((f) => f.path))).toEqual([
      ['c2', ':x'],
      [],
    ]);
  });
});

describe('touchSamePaths', () => {
  it('finds shared files and file/folder clashes', () => {
    expect(touchSamePaths(['a', 'b/c'], ['b/c', 'd'])).toEqual(['b/c']);
    expect(touchSamePaths(['x'], ['x/y'])).toEqual(['x']);
    expect(touchSamePaths(['x/y/z'], ['x/y'])).toEqual(['x/y']);
    expect(touchSamePaths(['a/b'], ['a/c'])).toEqual([]);
  });

  it('is empty exactly when the path sets are disjoint and no path is a folder of another', () => {
    const segment = fc.constantFrom('a', 'b', 'c');
    const pathArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(
        fc.array(pathArb, { maxLength: 5 }),
        fc.array(pathArb, { maxLength: 5 }),
        (a, b) => {
          const clash = a.some((x) =>
            b.some((y) => x === y || y.startsWith(`${x}/`) || x.startsWith(`${y}/`)),
          );
          expect(touchSamePaths(a, b).length > 0).toBe(clash);
          expect(touchSamePaths(a, b)).toEqual(touchSamePaths(b, a));
        },
      ),
    );
  });
});

describe('planForecast', () => {
  const part = fc.constantFrom('a', 'b', 'c', 'go.mod');
  const file = fc.array(part, { minLength: 1, maxLength: 3 }).map((p) => p.join('/'));
  const worktrees = fc.array(fc.array(file, { maxLength: 4 }), { maxLength: 12 });

  it('merges every pair that shares a path while they fit the budget', () => {
    const files = [['go.mod', 'a.go'], ['go.mod'], ['b.go'], ['a.go/x'], ['c.go']];
    expect(planForecast(files, 100)).toEqual({
      pairs: [
        [0, 1],
        [0, 3],
      ],
      crowded: [],
    });
  });

  it('groups the path most pairs share, and merges the pairs that share another', () => {
    const files = [['go.mod', 'x.go'], ['go.mod', 'x.go'], ['go.mod'], ['go.mod'], ['y.go']];
    // go.mod: 6 pairs; x.go: 1.
    expect(planForecast(files, 2)).toEqual({
      pairs: [[0, 1]],
      crowded: [{ path: 'go.mod', members: [0, 1, 2, 3] }],
    });
    expect(planForecast(files, 0)).toEqual({
      pairs: [],
      crowded: [
        { path: 'go.mod', members: [0, 1, 2, 3] },
        { path: 'x.go', members: [0, 1] },
      ],
    });
  });

  it('leaves out the pairs it is told to skip', () => {
    expect(planForecast([['a'], ['a'], ['a']], 100, (i, j) => i === 0 && j === 1)).toEqual({
      pairs: [
        [0, 2],
        [1, 2],
      ],
      crowded: [],
    });
  });

  it('merges at most the budget, and every sharing pair is merged or shares only grouped paths', () => {
    fc.assert(
      fc.property(worktrees, fc.nat({ max: 20 }), (files, budget) => {
        const plan = planForecast(files, budget);
        expect(plan.pairs.length).toBeLessThanOrEqual(budget);
        const planned = new Set(plan.pairs.map(([i, j]) => `${i} ${j}`));
        const grouped = new Set(plan.crowded.map((c) => c.path));
        for (let i = 0; i < files.length; i++) {
          for (let j = i + 1; j < files.length; j++) {
            const shared = touchSamePaths(files[i] ?? [], files[j] ?? []);
            if (planned.has(`${i} ${j}`)) {
              expect(shared.some((p) => !grouped.has(p))).toBe(true);
            } else {
              expect(shared.every((p) => grouped.has(p))).toBe(true);
            }
          }
        }
        if (plan.crowded.length === 0) {
          // Nothing grouped: every sharing pair is merged.
          const sharing = files.flatMap((a, i) =>
            files.slice(i + 1).filter((b) => touchSamePaths(a, b).length > 0),
          );
          expect(plan.pairs.length).toBe(sharing.length);
        }
      }),
    );
  });
});

/**
 * Random DAGs against a brute-force reference: ahead/behind are set differences of full
 * ancestor sets, and a merge base is a common ancestor with no common descendant.
 */
describe('CommitGraph', () => {
  const dag = fc
    .array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 25 })
    .map((specs) =>
      specs.map(([p1, p2, merge], i) => {
        const parents = i === 0 ? [] : [`c${p1 % i}`];
        if (merge && i > 1 && p2 % i !== p1 % i) parents.push(`c${p2 % i}`);
        return { commit: `c${i}`, parents };
      }),
    );

  function ancestors(all: Map<string, string[]>, tip: string): Set<string> {
    const seen = new Set<string>();
    const stack = [tip];
    while (stack.length) {
      const c = stack.pop() as string;
      if (seen.has(c)) continue;
      seen.add(c);
      stack.push(...(all.get(c) ?? []));
    }
    return seen;
  }

  it('matches the brute-force answers', () => {
    fc.assert(
      fc.property(dag, fc.nat(), fc.nat(), (commits, x, y) => {
        const all = new Map(commits.map((c) => [c.commit, c.parents]));
        const tip = `c${x % commits.length}`;
        const base = `c${y % commits.length}`;
        const rTip = ancestors(all, tip);
        const rBase = ancestors(all, base);
        // The common ancestor c0 excluded, as gatherStatus excludes the octopus merge base;
        // children before parents, as --topo-order lists them.
        const listed = [...commits].reverse().filter((c) => c.commit !== 'c0');
        const graph = new CommitGraph(listed, 'c0');
        const { ahead, behind } = graph.aheadBehind(tip, base);
        expect(ahead).toBe([...rTip].filter((c) => !rBase.has(c)).length);
        expect(behind).toBe([...rBase].filter((c) => !rTip.has(c)).length);
        const mb = graph.mergeBase(tip, base) as string;
        expect(rTip.has(mb) && rBase.has(mb)).toBe(true);
        const common = [...rTip].filter((c) => rBase.has(c));
        const hasCommonDescendant = common.some((c) => c !== mb && ancestors(all, c).has(mb));
        expect(hasCommonDescendant).toBe(false);
      }),
    );
  });
});

describe('syncLogMessage', () => {
  const base: SyncResultBase = {
    name: 'a',
    kind: 'worktree',
    path: '/x/a',
    branch: 'a',
    before: '1111111111aaaa',
    recovered: null,
    stack: null,
  };
  const after = '2222222222bbbb';
  const report = { base: 'origin/main', strategy: 'rebase', dryRun: false } as const;

  it('says what a part of a stack was rebased onto, and a retarget once its parent is merged', () => {
    const onto = { onto: 'x-part-1', parent: 'x-part-1', previousParent: 'x-part-1' };
    expect(syncLogMessage(updated({ ...base, stack: onto }, after), report)).toBe(
      'sync: rebase onto x-part-1, 1111111111 → 2222222222',
    );
    const retarget = { onto: 'origin/main', parent: null, previousParent: 'x-part-1' };
    expect(syncLogMessage(updated({ ...base, stack: retarget }, after), report)).toBe(
      'sync: rebase onto origin/main, 1111111111 → 2222222222; its parent x-part-1 is merged, its PR is now against origin/main',
    );
  });

  it('says what happened in one line', () => {
    expect(syncLogMessage(updated(base, after), report)).toBe(
      'sync: rebase onto origin/main, 1111111111 → 2222222222',
    );
    expect(
      syncLogMessage(
        conflicted(base, ['f.go', 'g.go'], 'conflicts with origin/main', null),
        report,
      ),
    ).toBe('sync: conflict with origin/main in f.go, g.go; not synced, unchanged');
    expect(syncLogMessage(failed(base, 'boom'), report)).toBe('sync: failed: boom');
  });

  it('names a part restacked without a worktree, and what it conflicted with', () => {
    const part: SyncResultBase = {
      ...base,
      name: 'x-part-2',
      kind: 'branch',
      path: null,
      branch: 'x-part-2',
      stack: { onto: 'x-part-1', parent: 'x-part-1', previousParent: 'x-part-1' },
    };
    expect(syncLogMessage(updated(part, after), report)).toBe(
      'sync: branch x-part-2 (no worktree) rebase onto x-part-1, 1111111111 → 2222222222',
    );
    expect(syncLogMessage(conflicted(part, ['f.go'], 'conflicts', '1111111111aaaa'), report)).toBe(
      'sync: branch x-part-2 (no worktree) conflict with x-part-1 in f.go; not synced, unchanged',
    );
    // Its result has the keys of every result, in the same order, the path null.
    expect(Object.keys(updated(part, after))).toEqual(Object.keys(updated(base, after)));
    expect(updated(part, after)).toMatchObject({ kind: 'branch', path: null });
  });

  it('logs only what changed: never a skip, a no-op or a dry run', () => {
    expect(syncLogMessage(upToDate(base, after), report)).toBeNull();
    expect(syncLogMessage(skipped(base, 'dirty', 'uncommitted'), report)).toBeNull();
    const dry = { ...report, dryRun: true };
    for (const result of [
      wouldUpdate(base, 'would rebase onto origin/main'),
      upToDate(base, after),
      skipped(base, 'dirty', 'uncommitted'),
      conflicted(base, ['f.go'], 'would conflict with origin/main', null),
      failed(base, 'boom'),
    ]) {
      expect(syncLogMessage(result, dry), result.status).toBeNull();
    }
  });
});
