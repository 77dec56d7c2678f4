import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The messages of `rule` ESLint gives `code` placed at `file`. */
async function restricted(
  file: string,
  code: string,
  rule = 'no-restricted-imports',
): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('lint keeps the imports pointing inward', () => {
  it.each([
    ['src/log/read.ts', "import { openRepo } from '../repo.js';"],
    ['src/git/run.ts', "import { worktrees } from '../worktrees/lookup.js';"],
    ['src/status/status.ts', "import { renderSummary } from '../ui/lines.js';"],
    ['src/sync/sync.ts', "import { run } from '../commands/sync.js';"],
    ['src/commands/check.ts', "import { run } from './lines.js';"],
    ['src/claims/claim.ts', "import { removeWorktreeFor } from '../worktrees/remove.js';"],
    ['src/claims/store.ts', "import { listWithStatus } from '../worktrees/worktrees.js';"],
    ['src/worktrees/lookup.ts', "import { listClaims } from '../claims/store.js';"],
    ['src/remote/log.ts', "import { claimRef } from '../claims/ref-store.js';"],
    ['src/remote/log.ts', "import { createOutput } from '../ui/output.js';"],
    ['src/cli/claims.ts', "import { run } from '../commands/claim.js';"],
    ['src/boot/code-cache.ts', "import { openRepo } from '../repo.js';"],
    ['src/shell/completion.ts', "import { createOutput } from '../ui/output.js';"],
    // A concept folder added later is held to the direction without being listed anywhere.
    ['src/next-concept/thing.ts', "import { run } from '../commands/claim.js';"],
    ['src/log/read.ts', "import { shortId } from '../ui/format.js';"],
    ['src/util/fs.ts', "import { runGit } from '../git/run.js';"],
    ['src/ui/table.ts', "import { lazy } from '../cli/action.js';"],
    ['src/commands/check.ts', "import { lazy } from '../cli/action.js';"],
    ['src/cli.ts', "import { openRepo } from './repo.js';"],
    ['test/sync/undo.unit.test.ts', "import { makeRepo } from '../helpers/repo.js';"],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await restricted(file, `${code}\n`)).toHaveLength(1);
  });

  it.each([
    ['src/claims/messages.ts', "import { formatTime } from '../ui/format.js';"],
    ['src/commands/check.ts', "import type { CommandContext } from '../cli/command.js';"],
    ['src/cli/context.ts', "import type { Repo } from '../repo.js';"],
    ['src/log/read.ts', "import { UsageError } from '../errors.js';"],
    ['src/claims/claim.ts', "import { assertWorktreeName } from '../worktrees/names.js';"],
    ['src/main.ts', "import { loadProgram } from './boot/code-cache.js';"],
    ['src/boot/program.ts', "export { main } from '../cli.js';"],
    ['src/next-concept/thing.ts', "import { shortId } from '../ui/format.js';"],
  ])('allows in %s: %s', async (file, code) => {
    expect(await restricted(file, `${code}\n`)).toEqual([]);
  });
});

describe('lint keeps --json in the boundary', () => {
  it('refuses a command that reads out.json', async () => {
    const code = 'export const f = (ctx: { out: { json: boolean } }) => ctx.out.json;\n';
    expect(await restricted('src/commands/status.ts', code, 'no-restricted-syntax')).toHaveLength(
      1,
    );
  });
});

/**
 * Every static relative import of src (re-exports included), file by file. Type-only imports are
 * erased, and a dynamic import() loads on first use, so neither can make a cycle at load time.
 */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(full, 'utf8');
        const targets = [
          ...text.matchAll(/^(?:import|export) (?!type )[^;]*? from '(\.[^']+)'/gms),
        ].map((m) => path.resolve(path.dirname(full), m[1]!.replace(/\.js$/, '.ts')));
        graph.set(full, targets);
      }
    }
  };
  visit(path.join(ROOT, 'src'));
  return graph;
}

describe('the module graph of src', () => {
  it('has no cycle of static imports', () => {
    const graph = importGraph();
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const walk = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push(
          [...trail.slice(trail.indexOf(file)), file]
            .map((f) => path.relative(ROOT, f))
            .join(' → '),
        );
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) walk(file, []);
    expect(cycles).toEqual([]);
  });
});
