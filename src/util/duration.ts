/** Durations as people write them: 90m, 24h, 7d (also ms, s, w). */

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const DURATION = /^(\d{1,12})(ms|s|m|h|d|w)$/;

/** A year: longer claims are surely a typo. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

/** Milliseconds, or null when `text` is not a positive duration of at most a year. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}

/** An exact spelling of `ms` in its largest whole unit, e.g. 5400000 → "90m", 86400000 → "24h". */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit];
    // "24h" reads better than "1d"; days from two on.
    if (ms % size === 0 && ms >= (unit === 'd' ? 2 * size : size)) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
