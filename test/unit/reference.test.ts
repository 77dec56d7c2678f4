import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandReference } from '../../src/commands/reference.js';

describe('README command reference', () => {
  it('is the one generated from the CLI definitions (npm run docs)', async () => {
    // Importing the CLI module must not run it: bin/ goes through src/main.ts.
    const { buildProgram } = await import('../../src/cli.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(commandReference(buildProgram()));
  });
});
