import { describe, expect, it } from 'vitest';
import { byHand, decideTarget, type TargetFacts } from '../../src/sync/restack.js';

const base = { name: 'origin/main', commit: 'b'.repeat(40) };
const id = (c: string) => c.repeat(40);
const entry = (branch: string, parent: string) => ({ branch, parent, forkPoint: id('f') });

describe('decideTarget', () => {
  it('syncs a branch outside any stack with the base, as a plain rebase', () => {
    expect(decideTarget({ base, entry: null, chain: [], ownStart: null })).toEqual({
      status: 'target',
      target: {
        commit: base.commit,
        name: 'origin/main',
        upstream: null,
        record: null,
        previousParent: null,
      },
    });
  });

  it('restacks a part onto its parent, replaying from where its own commits start', () => {
    const facts: TargetFacts = {
      base,
      entry: entry('x-2', 'x-1'),
      chain: [{ branch: 'x-1', tip: id('1'), inBase: false }],
      ownStart: id('f'),
    };
    expect(decideTarget(facts)).toEqual({
      status: 'target',
      target: {
        commit: id('1'),
        name: 'x-1',
        upstream: id('f'),
        record: { parent: 'x-1', forkPoint: id('1') },
        previousParent: 'x-1',
      },
    });
  });

  it('retargets onto the next branch down not in the base, or the base at the bottom', () => {
    const merged = { branch: 'x-1', tip: id('1'), inBase: true };
    const down: TargetFacts = {
      base,
      entry: entry('x-3', 'x-2'),
      chain: [
        { ...merged, branch: 'x-2', tip: id('2') },
        { branch: 'x-1', tip: id('1'), inBase: false },
      ],
      ownStart: id('2'),
    };
    expect(decideTarget(down)).toMatchObject({
      target: { commit: id('1'), name: 'x-1', upstream: id('2'), record: { parent: 'x-1' } },
    });
    const bottom: TargetFacts = {
      base,
      entry: entry('x-2', 'x-1'),
      chain: [merged],
      ownStart: id('f'),
    };
    expect(decideTarget(bottom)).toMatchObject({
      target: {
        commit: base.commit,
        name: 'origin/main',
        upstream: id('f'),
        record: { parent: null, forkPoint: null },
        previousParent: 'x-1',
      },
    });
  });

  it('blocks a part whose parent is gone unmerged, or whose own commits are unknown', () => {
    const gone: TargetFacts = {
      base,
      entry: entry('x-2', 'x-1'),
      chain: [{ branch: 'x-1', tip: null, inBase: false }],
      ownStart: id('f'),
    };
    expect(decideTarget(gone)).toMatchObject({
      status: 'blocked',
      reason: expect.stringContaining(
        'its parent branch x-1 is gone and its changes are not in origin/main',
      ),
    });
    const unknown: TargetFacts = {
      base,
      entry: { ...entry('x-2', 'x-1'), forkPoint: null },
      chain: [{ branch: 'x-1', tip: null, inBase: true }],
      ownStart: null,
    };
    expect(decideTarget(unknown)).toMatchObject({ status: 'blocked' });
  });
});

describe('byHand', () => {
  it('quotes the branch for a shell, whatever git allows in its name', () => {
    const odd = 'we/x$(touch pwned);y|z';
    const target = {
      commit: id('1'),
      name: odd,
      upstream: id('f'),
      record: null,
      previousParent: null,
    };
    expect(byHand('rebase', target)).toBe(
      `rebase --onto 'we/x$(touch pwned);y|z' ${'f'.repeat(10)}`,
    );
    expect(byHand('merge', target)).toBe(`merge 'we/x$(touch pwned);y|z'`);
    expect(byHand('rebase', { ...target, name: 'feat-part-1' })).toBe(
      `rebase --onto feat-part-1 ${'f'.repeat(10)}`,
    );
  });

  it('quotes the config key of a gone parent’s advice', () => {
    const decision = decideTarget({
      base,
      entry: entry('x;rm -rf ~', 'gone'),
      chain: [{ branch: 'gone', tip: null, inBase: false }],
      ownStart: id('f'),
    });
    expect(decision.status).toBe('blocked');
    if (decision.status === 'blocked') {
      expect(decision.reason).toContain("(git config --unset 'branch.x;rm -rf ~.tmcOrchParent')");
    }
  });
});
