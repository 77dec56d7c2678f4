import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { waitAfterFrame } from '../../src/ui/watch.js';

describe('status --watch pacing', () => {
  it('a quick frame waits for the rest of the interval', () => {
    expect(waitAfterFrame(5000, 300)).toBe(4700);
    expect(waitAfterFrame(5000, 0)).toBe(5000);
  });

  it('a frame slower than the interval is followed by as long a rest, never the next frame', () => {
    expect(waitAfterFrame(1000, 3000)).toBe(3000);
    expect(waitAfterFrame(5000, 5000)).toBe(5000);
  });

  it('frames start an interval apart at least, and the watch is busy half the time at most', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 600_000 }), fc.nat(3_600_000), (interval, took) => {
        const wait = waitAfterFrame(interval, took);
        expect(took + wait).toBeGreaterThanOrEqual(interval);
        expect(wait).toBeGreaterThanOrEqual(took);
      }),
    );
  });
});
