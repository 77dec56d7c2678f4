import { readFileSync } from 'node:fs';

/** package.json, found upwards from this file: dist/ when compiled, dist/bundle/ when bundled. */
function readPackage(): { version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === 'tmc-orch') return pkg;
    } catch {
      // Not at this level: try the next one up.
    }
  }
  return { version: '0.0.0' };
}

export const version = (): string => readPackage().version;

/**
 * The version line or document when the command line asks for nothing else (`--version`, `-V`,
 * with or without `--json`), else null. src/main.ts answers these before loading the program:
 * agents and scripts ask often, and nothing else needs to load for them.
 */
export function versionAnswer(args: readonly string[]): string | null {
  const rest = args.filter((a) => a !== '--json');
  if (rest.length !== 1 || (rest[0] !== '--version' && rest[0] !== '-V')) return null;
  if (rest.length === args.length) return `${version()}\n`;
  return `${JSON.stringify({ name: 'tmc-orch', version: version() }, null, 2)}\n`;
}
