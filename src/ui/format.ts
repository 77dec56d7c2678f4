import path from 'node:path';

/**
 * How ids, paths, ages and times read, in human output and in messages: one place, so every
 * command says them the same way. Pure functions of their arguments (the clock is passed in); a
 * leaf that domain messages may use too.
 */

/** An object id as every message shows it: its first 10 characters; "-" for none. */
export function shortId(id: string | null): string {
  return id ? id.slice(0, 10) : '-';
}

/** `target` relative to `from` ("." for `from` itself): paths in human output. */
export function relativePath(from: string, target: string): string {
  return path.relative(from, target) || '.';
}

/** An age in its largest whole unit: 9s, 5m, 3h, 2d. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** An ISO time as "09:14 UTC" on the day of `now`, else "2025-01-14 09:14 UTC". */
export function formatTime(iso: string, now: Date): string {
  const day = iso.slice(0, 10);
  const time = `${iso.slice(11, 16)} UTC`;
  return day === now.toISOString().slice(0, 10) ? time : `${day} ${time}`;
}

/** The first `max` items, then ", …" when there are more: names in a one-line message. */
export function shortList(items: readonly string[], max = 5): string {
  return `${items.slice(0, max).join(', ')}${items.length > max ? ', …' : ''}`;
}

/** The first `max` items, then " and N more" when there are more: when how many matters. */
export function countedList(items: readonly string[], max: number): string {
  const more = items.length > max ? ` and ${items.length - max} more` : '';
  return `${items.slice(0, max).join(', ')}${more}`;
}

const SHELL_SAFE = /^[\w.@%+=:,/-]+$/;

/**
 * A value as one word of a command a user copies into a POSIX shell (advice, the demo's commands,
 * a gate's log): quoted when it must be.
 */
export function shellWord(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line for people, each argument as shellWord quotes it. */
export function showCommand(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}
