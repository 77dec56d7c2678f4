import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DURATION_SYNTAX,
  formatDuration,
  MAX_DURATION_MS,
  parseDuration,
  readDuration,
} from '../../src/util/duration.js';

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

describe('readDuration', () => {
  it('says what is wrong: not a duration, zero, or longer than a year', () => {
    expect(readDuration('5x')).toEqual({
      ok: false,
      problem: expect.stringContaining('is not a duration'),
    });
    expect(readDuration('0m')).toEqual({ ok: false, problem: expect.stringContaining('is zero') });
    expect(readDuration('367d')).toEqual({
      ok: false,
      problem: expect.stringContaining('longer than a year'),
    });
    expect(readDuration(' 2w ')).toEqual({ ok: true, ms: 14 * 86_400_000 });
  });

  it('DURATION_SYNTAX (the JSON schema pattern) accepts exactly the spellings the parser reads', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 16 }),
          fc
            .tuple(fc.nat(), fc.constantFrom('ms', 's', 'm', 'h', 'd', 'w', 'x', ''))
            .map(([n, u]) => `${n}${u}`),
        ),
        (text) => {
          const syntaxOk = DURATION_SYNTAX.test(text);
          const result = readDuration(text);
          expect(result.ok || !result.problem.startsWith('is not a duration')).toBe(syntaxOk);
        },
      ),
    );
  });
});
