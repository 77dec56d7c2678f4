import { gitText, runGit, splitNul } from './run.js';

/**
 * The folder git runs hooks from for the worktree at `cwd`: the common `hooks` folder, or
 * `core.hooksPath` (made absolute; a relative one is relative to each worktree's top).
 */
export async function hooksDir(cwd: string): Promise<string> {
  return gitText(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], { cwd });
}

type ConfigScope = 'system' | 'global' | 'local' | 'worktree' | 'command' | 'unknown';

/** A config value and where it comes from: the scope and the file (`file:/home/me/.gitconfig`). */
export interface ConfigOrigin {
  value: string;
  scope: ConfigScope;
  origin: string;
}

const SCOPES: readonly string[] = ['system', 'global', 'local', 'worktree', 'command'];

/** Parses `git config --show-scope --show-origin -z --get`: `<scope>\0<origin>\0<value>\0`. */
export function parseConfigOrigin(stdout: string): ConfigOrigin | null {
  const [scope = '', origin = '', value] = splitNul(stdout);
  if (value === undefined) return null;
  return { value, scope: SCOPES.includes(scope) ? (scope as ConfigScope) : 'unknown', origin };
}

/** The value of a config key as seen from `cwd`, with its scope and file, or null when unset. */
export async function configOrigin(cwd: string, key: string): Promise<ConfigOrigin | null> {
  const { stdout, exitCode } = await runGit(
    ['config', '--show-scope', '--show-origin', '-z', '--get', '--end-of-options', key],
    { cwd, okCodes: [1] },
  );
  return exitCode === 0 ? parseConfigOrigin(stdout) : null;
}
