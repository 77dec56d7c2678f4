import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  logWindow,
  parsePositiveInt,
  parseSince,
  parseStrategy,
  parseTask,
  parseTtl,
} from '../../src/cli/parse.js';

const now = new Date('2025-01-14T12:00:00.000Z');

describe('flags parsed at the edge', () => {
  it('--ttl is milliseconds; a bad one names the flag', () => {
    expect(parseTtl('90m')).toBe(5_400_000);
    expect(() => parseTtl('soon')).toThrow(UsageError);
    expect(() => parseTtl('0h')).toThrow(/--ttl "0h" is zero/);
  });

  it('--task is trimmed, blank is no task, a second line is refused', () => {
    expect(parseTask('  docs  ')).toBe('docs');
    expect(parseTask('   ')).toBeNull();
    expect(() => parseTask('a\nb')).toThrow(/--task must be one line/);
  });

  it('--strategy is rebase or merge', () => {
    expect(parseStrategy('merge')).toBe('merge');
    expect(() => parseStrategy('squash')).toThrow(/use --strategy rebase or --strategy merge/);
  });

  it('--limit is a positive whole number', () => {
    expect(parsePositiveInt('700', '--limit', 700)).toBe(700);
    for (const bad of ['0', '-1', '1.5', '7e2', '']) {
      expect(() => parsePositiveInt(bad, '--limit', 700)).toThrow(UsageError);
    }
  });

  it('suggests a value the flag takes, not another flag’s', () => {
    expect(() => parsePositiveInt('0', '--target', 600)).toThrow(/; pass e\.g\. --target 600$/);
    expect(() => parsePositiveInt('x', '--concurrency', 4)).toThrow(
      /; pass e\.g\. --concurrency 4$/,
    );
  });

  it('--since is a day, an ISO time or a duration back from the clock', () => {
    expect(parseSince('2h', now).toISOString()).toBe('2025-01-14T10:00:00.000Z');
    expect(parseSince('2025-01-13', now).toISOString()).toBe('2025-01-13T00:00:00.000Z');
    expect(() => parseSince('yesterday', now)).toThrow(UsageError);
  });

  it('log show selects today by the clock, else one of --date, --since, --all', () => {
    expect(logWindow({}, now)).toEqual({
      from: Date.parse('2025-01-14T00:00:00.000Z'),
      to: Date.parse('2025-01-15T00:00:00.000Z'),
    });
    expect(logWindow({ all: true }, now)).toEqual({ from: -Infinity, to: Infinity });
    expect(() => logWindow({ date: '2025-01-14', all: true }, now)).toThrow(/exclude each other/);
  });
});
