import { execa } from 'execa';
import { BIN } from './cli.js';
import { shellQuote } from './git-wrapper.js';

/**
 * A real terminal for the binary: `script` makes a pty and runs `command` on it through $SHELL.
 * SHELL is pinned to /bin/sh, so a run is the same wherever the caller's SHELL points: bash
 * replaces itself with the last command of `-c`, dash does not, and a shell left waiting dies of
 * the terminal's Ctrl-C itself (exit 130) whatever the command did with it.
 */

/** The command line that runs this checkout's binary with `args`, each quoted. */
export const tmc = (...args: string[]): string =>
  [process.execPath, BIN, ...args].map(shellQuote).join(' ');

/** Runs `command` on a new pty (`exec …` makes the binary the pty's foreground process). */
export function inPty(
  command: string,
  options: { cwd: string; env: Record<string, string>; timeout?: number },
) {
  return execa('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...options.env, SHELL: '/bin/sh' },
    reject: false,
    maxBuffer: 10_000_000,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  });
}
