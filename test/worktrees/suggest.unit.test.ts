import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickWorktree } from '../../src/worktrees/lookup.js';
import { didYouMean, editDistance, suggestions } from '../../src/util/suggest.js';

describe('did you mean', () => {
  it('suggests names one typo, swap or missing letter away, closest first', () => {
    const known = ['03a-foundation', '03b-api', 'docs', 'repo'];
    expect(suggestions('03a-foundaton', known)).toEqual(['03a-foundation']);
    expect(suggestions('dcos', known)).toEqual(['docs']);
    expect(suggestions('03a', known)).toEqual(['03a-foundation']);
    expect(suggestions('zzzz', known)).toEqual([]);
  });

  it('didYouMean phrases the near names, or says nothing', () => {
    expect(didYouMean('mian', ['main', 'origin/main'])).toBe('did you mean main? ');
    expect(didYouMean('zzzz', ['main'])).toBe('');
  });

  it('names the near worktree in the unknown-name error', () => {
    const all = [
      { name: 'repo', path: '/r' },
      { name: 'feature-x', path: '/w/feature-x' },
    ];
    expect(() => pickWorktree(all, 'featur-x')).toThrow(/did you mean feature-x\?/);
  });

  it('edit distance is a metric on small strings (symmetric, zero only for equals)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});
