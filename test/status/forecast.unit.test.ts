import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitGraph } from '../../src/status/graph.js';
import { planForecast } from '../../src/status/forecast.js';
import { touchSamePaths } from '../../src/status/conflicts.js';

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
