import { UsageError } from '../errors.js';
import type { TimeWindow } from '../log/read.js';
import type { SyncStrategy } from '../sync/types.js';
import { taskProblem } from '../claims/task.js';
import { parseDuration, readDuration } from '../util/duration.js';

/**
 * Flags parsed into typed values at the edge: a command's input holds numbers, dates and
 * strategies, never the text typed, and a bad value is a UsageError naming the flag before any
 * command runs.
 */

/**
 * A flag's value as a positive whole number, or a UsageError naming the flag and a value that
 * works (`example`: the flag's default, so the suggestion is never refused in turn).
 */
export function parsePositiveInt(value: string, flag: string, example: number): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a positive whole number; pass e.g. ${flag} ${example}`,
    );
  }
  return Number(value);
}

/** --ttl in ms. */
export function parseTtl(value: string): number {
  const result = readDuration(value);
  if (!result.ok) throw new UsageError(`--ttl ${JSON.stringify(value)} ${result.problem}`);
  return result.ms;
}

/** --interval of status --watch in ms: at least 1s, so a refresh never runs back to back. */
export function parseInterval(value: string): number {
  const result = readDuration(value);
  if (!result.ok) throw new UsageError(`--interval ${JSON.stringify(value)} ${result.problem}`);
  if (result.ms < 1000) {
    throw new UsageError(
      `--interval ${JSON.stringify(value)} is under 1s; pass e.g. --interval 5s`,
    );
  }
  return result.ms;
}

/** --task trimmed; null when blank (no task). */
export function parseTask(value: string): string | null {
  const trimmed = value.trim();
  const problem = taskProblem(trimmed);
  if (problem) {
    throw new UsageError(
      `--task ${problem}; keep it to one short line and put details in tmc-orch log`,
    );
  }
  return trimmed === '' ? null : trimmed;
}

export function parseStrategy(value: string): SyncStrategy {
  if (value === 'rebase' || value === 'merge') return value;
  throw new UsageError(
    `--strategy ${JSON.stringify(value)} is not a strategy; use --strategy rebase or --strategy merge`,
  );
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?$/;
const DAY_MS = 86_400_000;

/** A UTC day, YYYY-MM-DD, as its first instant. */
function parseDay(text: string, flag: string, now: Date): Date {
  const match = DAY.exec(text);
  const date = new Date(`${text}T00:00:00.000Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a date; use YYYY-MM-DD, e.g. ${now.toISOString().slice(0, 10)}`,
    );
  }
  return date;
}

/** --since: YYYY-MM-DD, an ISO-8601 time (UTC unless it has an offset), or a duration ago. */
export function parseSince(text: string, now: Date): Date {
  if (DAY.test(text)) return parseDay(text, '--since', now);
  const duration = parseDuration(text);
  if (duration !== null) return new Date(now.getTime() - duration);
  const iso = ISO_TIME.exec(text);
  // JavaScript reads a time without an offset as local time; the log and its days are UTC.
  const time = iso ? new Date(iso[2] ? text : `${text}Z`) : null;
  if (time && !Number.isNaN(time.getTime())) return time;
  throw new UsageError(
    `--since ${JSON.stringify(text)} is not a date, time or duration; use YYYY-MM-DD, an ISO-8601 time, or e.g. 2h`,
  );
}

/** The window `log show` selects: --date, --since or --all, else today (UTC). */
export function logWindow(
  flags: { date?: string | undefined; since?: string | undefined; all?: boolean | undefined },
  now: Date,
): TimeWindow {
  const chosen = [flags.date !== undefined, flags.since !== undefined, Boolean(flags.all)];
  if (chosen.filter(Boolean).length > 1) {
    throw new UsageError('--date, --since and --all exclude each other; pass one of them');
  }
  if (flags.all) return { from: -Infinity, to: Infinity };
  if (flags.since !== undefined)
    return { from: parseSince(flags.since, now).getTime(), to: Infinity };
  const day = parseDay(flags.date ?? now.toISOString().slice(0, 10), '--date', now);
  return { from: day.getTime(), to: day.getTime() + DAY_MS };
}

/** --coordination: "local" or "remote". */
export function parseCoordination(value: string): 'local' | 'remote' {
  if (value === 'local' || value === 'remote') return value;
  throw new UsageError(
    `--coordination ${JSON.stringify(value)}: must be "local" or "remote"; e.g. tmc-orch init --coordination remote`,
  );
}

/** A duration flag (--timeout) in ms. */
export function parseDurationFlag(value: string, flag: string): number {
  const result = readDuration(value);
  if (!result.ok) throw new UsageError(`${flag} ${JSON.stringify(value)} ${result.problem}`);
  return result.ms;
}
