import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInside } from '../../src/util/path.js';

describe('isInside', () => {
  const segment = fc
    .stringMatching(/^[A-Za-z0-9._-]{1,12}$/)
    .filter((s) => s !== '.' && s !== '..');
  const parent = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);

  it('holds for every path below the parent, folders named "..b" or "..." included', () => {
    for (const name of ['..b', '...', '.x', '..'.repeat(3)]) {
      expect(isInside(`/srv/root/${name}/x`, '/srv/root'), name).toBe(true);
    }
    expect(isInside('/srv/root/..b', '/srv/root')).toBe(true);
    fc.assert(
      fc.property(parent, fc.array(segment, { minLength: 1, maxLength: 4 }), (p, below) => {
        expect(isInside(path.join(p, ...below), p)).toBe(true);
      }),
    );
  });

  it('fails for the parent itself, anything above or beside it, and a longer sibling name', () => {
    fc.assert(
      fc.property(parent, segment, (p, s) => {
        expect(isInside(p, p)).toBe(false);
        expect(isInside(path.dirname(p), p)).toBe(false);
        expect(isInside(path.join(p, '..', s), p)).toBe(path.join(p, '..', s).startsWith(`${p}/`));
        expect(isInside(`${p}${s}`, p)).toBe(false);
        expect(isInside(`${p}${s}/x`, p)).toBe(false);
      }),
    );
  });
});
