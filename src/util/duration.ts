/**
 * Durations as people write them: 90m, 24h, 7d (also ms, s, w). The one parser for every
 * duration the tool reads (--ttl, claims.ttl in the config, log show --since), so each accepts
 * the same spellings and says the same thing about a wrong one.
 */

const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const DURATION = /^(\d{1,12})(ms|s|m|h|d|w)$/;

/** What parseDuration reads, surrounding whitespace included (for the config's JSON schema). */
export const DURATION_SYNTAX = /^\s*\d{1,12}(ms|s|m|h|d|w)\s*$/;

/** A year: longer claims are surely a typo. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

export const NOT_A_DURATION =
  'is not a duration; use a number and a unit (ms, s, m, h, d, w), e.g. 90m, 24h or 7d';

export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string };

/**
 * Milliseconds, or what is wrong with `text`, worded to follow the value in a message:
 * `--ttl "0h" is zero; …`, `claims.ttl: "0h" is zero; …`.
 */
export function readDuration(text: string): DurationResult {
  const match = DURATION.exec(text.trim());
  if (!match) return { ok: false, problem: NOT_A_DURATION };
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms === 0) return { ok: false, problem: 'is zero; use a positive duration, e.g. 90m or 24h' };
  if (ms > MAX_DURATION_MS) {
    return { ok: false, problem: 'is longer than a year; use at most 366d, e.g. 24h or 7d' };
  }
  return { ok: true, ms };
}

/**
 * The ms of a duration the config's validation let through (util/zod.ts `duration`): claims.ttl,
 * sync.fetchTimeout, remoteCoordination.timeout and skew, a gate's timeout. Any other value here
 * is a bug, not bad input.
 */
export function durationMs(text: string): number {
  const result = readDuration(text);
  if (!result.ok)
    throw new Error(`unvalidated duration ${JSON.stringify(text)}: ${result.problem}`);
  return result.ms;
}

/** Milliseconds, or null when `text` is not a positive duration of at most a year. */
export function parseDuration(text: string): number | null {
  const result = readDuration(text);
  return result.ok ? result.ms : null;
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
