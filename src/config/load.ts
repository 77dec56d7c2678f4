import path from 'node:path';
import type { z } from 'zod/mini';
import { ConfigError } from '../errors.js';
import { NotRegularFileError, readRegularTextOrNull } from '../util/fs.js';
import { isInside } from '../util/path.js';
import { suggestions } from '../util/suggest.js';
import { CONFIG_FILE, configJsonSchema, configSchema, type Config } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file, or null when running on defaults. */
  file: string | null;
  /** The layers under the defaults, as written: what `tmc-orch config` traces values to. */
  layers: ConfigLayers;
}

export interface ConfigLayers {
  /** The repository settings of the per-user config (userRepositoryDefaults). */
  user: Record<string, unknown>;
  /** The repository's file as parsed, before validation ({} without a file). */
  repository: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `upper` with the keys only `lower` has filled in, object by object; an array or a scalar is one
 * value, taken whole from the upper layer. A non-object upper layer is kept as it is, so that its
 * error names it.
 */
export function overlay(lower: Record<string, unknown>, upper: unknown): unknown {
  if (!isObject(upper)) return upper;
  const merged: Record<string, unknown> = { ...upper };
  for (const [key, value] of Object.entries(lower)) {
    if (!Object.hasOwn(upper, key)) merged[key] = value;
    else if (isObject(value)) merged[key] = overlay(value, upper[key]);
  }
  return merged;
}

/** The `properties` of a JSON schema node, or undefined. */
export function propertiesOf(node: unknown): Record<string, unknown> | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const properties = (node as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, unknown>)
    : undefined;
}

/** The keys a JSON schema allows in the object at `path`. */
function keysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let node = schema;
  for (const segment of path) node = propertiesOf(node)?.[String(segment)];
  return Object.keys(propertiesOf(node) ?? {});
}

/**
 * Formats zod issues as `path.to.key: message`, one per issue. With `schema` (the JSON schema of
 * what was parsed, made only when a key is unknown), an unknown key names the known ones near it.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], schema?: () => unknown): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        const known = schema ? keysAt(schema(), issue.path) : [];
        const named = issue.keys.map((k) => {
          const near = suggestions(k, known);
          return near.length > 0 ? `${k} (did you mean ${near.join(' or ')}?)` : k;
        });
        message = `unknown key(s) ${named.join(', ')}`;
      }
      return `${key}: ${message}`;
    })
    .join('; ');
}

/** Validates a parsed config object; `file` is only used in messages. */
export function parseConfig(raw: unknown, file: string): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      `invalid config ${file}: ${formatIssues(result.error.issues, configJsonSchema)}; fix the file (see schema.json) or rerun tmc-orch init --force`,
    );
  }
  return result.data;
}

/**
 * Reads `.tmc-orch.json` from the main worktree, over the per-user defaults (`user`, validated
 * already) over the schema's defaults: defaults < user < repository.
 */
export async function loadConfig(
  mainRoot: string,
  user: Record<string, unknown> = {},
): Promise<LoadedConfig> {
  const file = path.join(mainRoot, CONFIG_FILE);
  let text: string | null;
  try {
    text = await readRegularTextOrNull(file);
  } catch (error) {
    throw configReadError(file, error);
  }
  if (text === null) {
    // The user's values passed their own validation; a failure here is of the defaults' rules.
    return {
      config: parseConfig(user, 'per-user defaults'),
      file: null,
      layers: { user, repository: {} },
    };
  }
  let raw: unknown;
  try {
    // Some editors (Notepad, PowerShell's Out-File) save UTF-8 with a byte order mark.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(
      `invalid JSON in config ${file}: ${(error as Error).message}; fix the file or rerun tmc-orch init --force`,
    );
  }
  return {
    config: parseConfig(overlay(user, raw), file),
    file,
    layers: { user, repository: raw },
  };
}

/** Why a config file could not be read, as a config error saying what to do. */
export function configReadError(file: string, error: unknown): ConfigError {
  if (error instanceof NotRegularFileError) {
    return new ConfigError(
      `cannot read config ${file}: it is ${error.kind}, not a regular file; move it away (mv -- ${file} ${file}.bad) and write the file`,
    );
  }
  const code = (error as NodeJS.ErrnoException).code;
  // Only a permission problem is fixed by permissions; a symlink loop or a file where a folder
  // should be is fixed by moving it away.
  const fix =
    code === 'EACCES' || code === 'EPERM'
      ? 'fix its permissions'
      : code === 'ENOTDIR'
        ? 'a folder on its path is a file: move that file away'
        : `move it away (mv -- ${file} ${file}.bad) and write the file`;
  return new ConfigError(`cannot read config ${file}: ${(error as Error).message}; ${fix}`);
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
