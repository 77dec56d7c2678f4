import { gitText, runGit } from './run.js';

/**
 * The folder git runs hooks from for the worktree at `cwd`: the common `hooks` folder, or
 * `core.hooksPath` (made absolute; a relative one is relative to each worktree's top).
 */
export async function hooksDir(cwd: string): Promise<string> {
  return gitText(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { cwd });
}

/** The value of a config key as seen from `cwd`, or null when unset. */
export async function configValue(cwd: string, key: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(['config', '--get', '--end-of-options', key], {
    cwd,
    okCodes: [1],
  });
  return exitCode === 0 ? stdout.replace(/\n$/, '') : null;
}
