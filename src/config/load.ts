import path from 'node:path';
import type { z } from 'zod/mini';
import { ConfigError } from '../errors.js';
import { NotRegularFileError, readRegularTextOrNull } from '../util/fs.js';
import { isInside } from '../util/path.js';
import { CONFIG_FILE, configSchema, type Config } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file, or null when running on defaults. */
  file: string | null;
}

/** Formats zod issues as `path.to.key: message`, one per issue. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown key(s) ${issue.keys.join(', ')}`;
      return `${key}: ${message}`;
    })
    .join('; ');
}

/** Validates a parsed config object; `file` is only used in messages. */
export function parseConfig(raw: unknown, file: string): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      `invalid config ${file}: ${formatIssues(result.error.issues)}; fix the file (see schema.json) or rerun tmc-orch init --force`,
    );
  }
  return result.data;
}

/** Reads `.tmc-orch.json` from the main worktree; defaults when there is none. */
export async function loadConfig(mainRoot: string): Promise<LoadedConfig> {
  const file = path.join(mainRoot, CONFIG_FILE);
  let text: string | null;
  try {
    text = await readRegularTextOrNull(file);
  } catch (error) {
    throw configReadError(file, error);
  }
  if (text === null) return { config: configSchema.parse({}), file: null };
  let raw: unknown;
  try {
    // Some editors (Notepad, PowerShell's Out-File) save UTF-8 with a byte order mark.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(
      `invalid JSON in config ${file}: ${(error as Error).message}; fix the file or rerun tmc-orch init --force`,
    );
  }
  return { config: parseConfig(raw, file), file };
}

/** Why a config file could not be read, as a config error saying what to do. */
export function configReadError(file: string, error: unknown): ConfigError {
  if (error instanceof NotRegularFileError) {
    return new ConfigError(
      `cannot read config ${file}: it is ${error.kind}, not a regular file; move it away (mv -- ${file} ${file}.bad) and write the file`,
    );
  }
  return new ConfigError(
    `cannot read config ${file}: ${(error as Error).message}; fix its permissions`,
  );
}

export interface ResolvedPaths {
  worktreeRoot: string;
  sharedDir: string;
}

/** Absolute folders from the config, relative to the main worktree. */
export function resolvePaths(config: Config, mainRoot: string): ResolvedPaths {
  const dirName = path.basename(mainRoot);
  return {
    worktreeRoot: path.resolve(mainRoot, config.worktreeRoot ?? `../${dirName}-worktrees`),
    sharedDir: path.resolve(mainRoot, config.sharedDir ?? `../${dirName}-shared-tools`),
  };
}

/**
 * Why a worktree root cannot hold worktrees, or null: the main worktree itself, or anywhere in
 * the git dir (git would be asked to check files out among its own objects).
 */
export function worktreeRootProblem(
  worktreeRoot: string,
  mainRoot: string,
  commonDir: string,
): string | null {
  if (worktreeRoot === mainRoot) return 'is the main worktree itself';
  if (worktreeRoot === commonDir || isInside(worktreeRoot, commonDir)) {
    return `lies inside the git dir ${commonDir}`;
  }
  return null;
}
