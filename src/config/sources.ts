/**
 * Where each value of the effective config came from, for `tmc-orch config`: the repository's
 * file when it sets the key, else the schema's default. Keys are dotted paths to leaves (an array
 * is one value).
 */

export type ValueSource = 'default' | 'repository';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function configSources(
  effective: Record<string, unknown>,
  raw: unknown,
): Record<string, ValueSource> {
  const sources: Record<string, ValueSource> = {};
  const walk = (value: Record<string, unknown>, given: unknown, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$schema') continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const set = isObject(given) && Object.hasOwn(given, key) ? given[key] : undefined;
      if (isObject(child)) walk(child, set, path);
      else sources[path] = set === undefined ? 'default' : 'repository';
    }
  };
  walk(effective, raw, '');
  return sources;
}
