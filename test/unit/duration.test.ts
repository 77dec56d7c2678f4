import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it('reads the units people write', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(7 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('250ms')).toBe(250);
  });

  it('rejects zero, junk, missing units and more than a year', () => {
    for (const bad of ['', '0h', '5', 'h', '5x', '1.5h', '-3h', '24 h', '5hh', '400d', '1e3s']) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });

  it('round-trips through formatDuration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DURATION_MS }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
    expect(formatDuration(86_400_000)).toBe('24h');
    expect(formatDuration(5_400_000)).toBe('90m');
    expect(formatDuration(3 * 86_400_000)).toBe('3d');
  });
});
