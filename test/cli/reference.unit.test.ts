import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandReference } from '../../src/cli/reference.js';

describe('README command reference', () => {
  it('is the one generated from the CLI definitions (npm run docs)', async () => {
    // Importing the CLI module must not run it: bin/ goes through src/main.ts.
    const { buildProgram } = await import('../../src/cli.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(commandReference(buildProgram()));
  });

  it('lists every command that runs, groups with their own arguments included', async () => {
    const { buildProgram } = await import('../../src/cli.js');
    const reference = commandReference(buildProgram());
    expect(reference).toContain('### `tmc-orch log <message>…`');
    expect(reference).toContain('- `message`: what you are doing');
    expect(reference).toContain('### `tmc-orch log show`');
    // Pure groups (worktree, hooks) have no heading of their own; their commands do.
    expect(reference).not.toMatch(/^### `tmc-orch worktree`$/m);
    expect(reference).toContain('### `tmc-orch worktree list`');
  });

  it('lists a group that runs itself without arguments (plan, with plan import under it)', async () => {
    const { buildProgram } = await import('../../src/cli.js');
    const reference = commandReference(buildProgram());
    expect(reference).toMatch(/^### `tmc-orch plan`$/m);
    expect(reference).toContain('### `tmc-orch plan import <file>`');
  });
});
