import { readRegularTextOrNull } from '../util/fs.js';
import { userConfigPath } from './identity.js';
import type { UserConfig } from './user.js';

/**
 * The per-user config of this run, read once before anything else (its colour choice shapes the
 * output). zod is loaded only when the file exists: without one a run costs one failed open().
 */
export interface UserSettings {
  /** Where the file is, or would be. */
  file: string;
  found: boolean;
  /** What it says; {} without a file. */
  config: UserConfig;
}

export async function loadUserSettings(env: NodeJS.ProcessEnv): Promise<UserSettings> {
  const file = userConfigPath(env);
  let text: string | null;
  try {
    text = await readRegularTextOrNull(file);
  } catch (error) {
    const { configReadError } = await import('./load.js');
    throw configReadError(file, error);
  }
  if (text === null) return { file, found: false, config: {} };
  const { parseUserConfig } = await import('./user.js');
  return { file, found: true, config: parseUserConfig(text, file) };
}

/** The repository settings of a user config: the defaults it gives `.tmc-orch.json`. */
export function userRepositoryDefaults(user: UserConfig): Record<string, unknown> {
  return Object.fromEntries(Object.entries(user).filter(([key]) => !USER_ONLY.has(key)));
}

/** The keys of the user config that are not repository settings. */
const USER_ONLY = new Set(['$schema', 'agent', 'color']);
