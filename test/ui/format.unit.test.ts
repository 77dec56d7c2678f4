import { describe, expect, it } from 'vitest';
import {
  countedList,
  formatAge,
  formatTime,
  relativePath,
  shortId,
  shortList,
} from '../../src/ui/format.js';

describe('how ids, paths, ages, times and lists read', () => {
  it('shows an object id by its first 10 characters, and none as "-"', () => {
    expect(shortId('0123456789abcdef')).toBe('0123456789');
    expect(shortId(null)).toBe('-');
  });

  it('shows a path relative to the repository, "." for the repository itself', () => {
    expect(relativePath('/r', '/r/wt/a')).toBe('wt/a');
    expect(relativePath('/r', '/r')).toBe('.');
  });

  it('shows an age in its largest whole unit', () => {
    expect([9, 300, 7200, 172800].map(formatAge)).toEqual(['9s', '5m', '2h', '2d']);
  });

  it('shows a time of today as "HH:MM UTC", of another day with its date', () => {
    const now = new Date('2025-01-14T12:00:00.000Z');
    expect(formatTime('2025-01-14T09:14:33.000Z', now)).toBe('09:14 UTC');
    expect(formatTime('2025-01-13T09:14:33.000Z', now)).toBe('2025-01-13 09:14 UTC');
  });

  it('shortens a list with "…", or says how many more there are', () => {
    expect(shortList(['a', 'b'])).toBe('a, b');
    expect(shortList(['a', 'b', 'c', 'd'], 3)).toBe('a, b, c, …');
    expect(countedList(['a', 'b'], 2)).toBe('a, b');
    expect(countedList(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });
});
