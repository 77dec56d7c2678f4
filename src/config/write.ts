import path from 'node:path';
import { ConfigError, RefusedError } from '../errors.js';
import { readRegularTextOrNull, writeFileAtomic } from '../util/fs.js';
import { configReadError, parseConfig } from './load.js';
import { CONFIG_FILE, type Config } from './schema.js';

/**
 * Changes one top-level key of `.tmc-orch.json` and keeps every other key as written. The whole
 * file is validated before anything is written, and written atomically: a reader (a hook, another
 * agent's command) sees the old config or the new one. A file changed by someone else between our
 * read and our write is not overwritten.
 */

export interface ConfigKeyWrite {
  file: string;
  /** The file did not exist before. */
  created: boolean;
  /** The config as it is (or would be, with dryRun) after the write. */
  config: Config;
  /** The key's value before, as written in the file, or undefined when it had none. */
  previous: unknown;
  written: boolean;
}

export async function writeConfigKey(
  mainRoot: string,
  key: string,
  /** The new value, from the value the file has now (undefined when none). */
  update: (previous: unknown) => unknown,
  options: { dryRun: boolean },
): Promise<ConfigKeyWrite> {
  const file = path.join(mainRoot, CONFIG_FILE);
  const before = await readConfigText(file);
  let raw: Record<string, unknown> = {};
  if (before !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(before.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ConfigError(
        `invalid JSON in config ${file}: ${(error as Error).message}; fix the file first, nothing was written`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config ${file} is not a JSON object; fix the file first`);
    }
    raw = parsed as Record<string, unknown>;
  }
  const previous = raw[key];
  const next = { ...raw, [key]: update(previous) };
  const config = parseConfig(next, file);
  if (options.dryRun) return { file, created: before === null, config, previous, written: false };
  if ((await readConfigText(file)) !== before) {
    throw new RefusedError(
      `${file} changed while tmc-orch was writing it, so nothing was written; run the command again`,
    );
  }
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  return { file, created: before === null, config, previous, written: true };
}

// As loadConfig reads it: a FIFO or a folder in its place is refused, never waited on.
async function readConfigText(file: string): Promise<string | null> {
  try {
    return await readRegularTextOrNull(file);
  } catch (error) {
    throw configReadError(file, error);
  }
}
