import type { ConfigLayers } from './load.js';

/**
 * Where each value of the effective config came from, for `tmc-orch config`: the repository's
 * file when it sets the key, else the per-user file when it does, else the schema's default.
 * Keys are dotted paths to leaves (an array is one value). Env and flags set no repository
 * setting; they come in for the agent id and colour (see src/commands/config.ts).
 */

export type ValueSource = 'default' | 'user' | 'repository';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `layer` sets `key` to, or undefined. */
function valueAt(layer: unknown, key: string): unknown {
  return isObject(layer) && Object.hasOwn(layer, key) ? layer[key] : undefined;
}

export function configSources(
  effective: Record<string, unknown>,
  layers: ConfigLayers,
): Record<string, ValueSource> {
  const sources: Record<string, ValueSource> = {};
  const walk = (
    value: Record<string, unknown>,
    user: unknown,
    repository: unknown,
    prefix: string,
  ) => {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$schema') continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const fromUser = valueAt(user, key);
      const fromRepository = valueAt(repository, key);
      if (isObject(child)) walk(child, fromUser, fromRepository, path);
      else if (fromRepository !== undefined) sources[path] = 'repository';
      else sources[path] = fromUser !== undefined ? 'user' : 'default';
    }
  };
  walk(effective, layers.user, layers.repository, '');
  return sources;
}
