import { rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SplitData } from '../../src/commands/split.js';
import type { LineReport } from '../../src/linecount/count.js';
import { git, makeRepo, writeFile } from '../helpers/repo.js';
import { runJsonIn } from '../helpers/run.js';

/**
 * split --apply on random change sets in real repositories: whatever the branch does (adds,
 * edits, deletes, renames, generated files, across folders), the parts cover every changed file
 * once, none is at the limit unless the plan says which file keeps it there, and the stack adds
 * up to the branch: part k changes exactly its planned paths on part k-1, the last tree is the
 * branch's.
 */

const FOLDERS = ['', 'a', 'a/b', 'pkg/x', 'pkg/y', 'docs'];
const NAMES = ['one', 'two', 'three', 'zz_generated.deepcopy'];
const EXTS = ['.go', '_test.go', '.md', '.txt'];
const join = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);
const pathArb = fc
  .tuple(fc.constantFrom(...FOLDERS), fc.constantFrom(...NAMES), fc.constantFrom(...EXTS))
  .map(([folder, name, ext]) => join(folder, name + ext));
const text = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n') + '\n';

type Op =
  | { kind: 'write'; path: string; lines: number }
  | { kind: 'delete'; index: number }
  | { kind: 'rename'; index: number; to: string; edit: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      path: pathArb,
      lines: fc.integer({ min: 1, max: 45 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      index: fc.nat(),
      to: pathArb,
      edit: fc.boolean(),
    }),
    weight: 1,
  },
);

const caseArb = fc.record({
  base: fc.uniqueArray(pathArb, { minLength: 1, maxLength: 6 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 12 }),
});

async function buildBranch(main: string, base: string[], ops: Op[]): Promise<void> {
  base.forEach((p, i) => writeFile(main, p, text(20, `base ${i}`)));
  writeFile(main, '.tmc-orch.json', JSON.stringify({ remote: '' }));
  await git(main, 'add', '-A');
  await git(main, 'commit', '-q', '-m', 'base');
  await git(main, 'checkout', '-q', '-b', 'feat');
  const present = new Set(base);
  ops.forEach((op, i) => {
    const files = [...present].sort();
    if (op.kind === 'write') {
      writeFile(main, op.path, text(op.lines, `feat ${i}`));
      present.add(op.path);
    } else if (files.length > 0) {
      const from = files[op.index % files.length]!;
      const full = path.join(main, from);
      if (op.kind === 'delete') {
        rmSync(full);
        present.delete(from);
      } else if (!present.has(op.to)) {
        const content = text(20, `base ${base.indexOf(from)}`);
        rmSync(full);
        writeFile(main, op.to, op.edit ? `${content}edited ${i}\n` : content);
        present.delete(from);
        present.add(op.to);
      }
    }
  });
  await git(main, 'add', '-A');
  await git(main, 'commit', '-q', '--allow-empty', '-m', 'feature');
}

describe('split --apply on random change sets', () => {
  it(
    'covers every changed file once, under the limit, and adds up to the branch',
    { timeout: 600_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async ({ base, ops }) => {
          const repo = await makeRepo();
          await buildBranch(repo.main, base, ops);
          const limits = ['--limit', '60', '--target', '40', '--base', 'main'];
          const before = (await git(repo.main, 'for-each-ref', 'refs/heads/')).split('\n');
          const lines = await runJsonIn<LineReport>(['lines', '--base', 'main'], {
            cwd: repo.main,
          });
          const { json, exitCode, stderr } = await runJsonIn<SplitData>(
            ['split', '--apply', ...limits],
            { cwd: repo.main },
          );
          if (lines.json.files.length === 0) {
            expect(exitCode).toBe(1);
            return;
          }
          if (exitCode !== 0) {
            // Only a file that alone reaches the limit stops it, and then nothing is made.
            const plan = await runJsonIn<SplitData>(['split', ...limits], { cwd: repo.main });
            expect(plan.json.oversized.length, stderr).toBeGreaterThan(0);
            expect((await git(repo.main, 'for-each-ref', 'refs/heads/')).split('\n')).toEqual(
              before,
            );
            return;
          }
          // Every changed file in exactly one part, each part under the limit.
          const planned = json.parts.flatMap((p) => p.files.map((f) => f.path));
          expect([...planned].sort()).toEqual(lines.json.files.map((f) => f.path).sort());
          for (const part of json.parts) expect(part.lines).toBeLessThan(60);
          // The stack adds up to the branch, part by part.
          let previous = await git(repo.main, 'merge-base', 'main', 'feat');
          for (const part of json.applied!.parts) {
            const files = json.parts[part.index - 1]!.files;
            const paths = new Set(
              files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path])),
            );
            const changed = await git(
              repo.main,
              'diff',
              '--name-only',
              '--no-renames',
              previous,
              part.branch,
            );
            expect(new Set(changed.split('\n').filter(Boolean))).toEqual(paths);
            expect(part.check.withinLimit).toBe(true);
            previous = part.branch;
          }
          expect(await git(repo.main, 'rev-parse', `${previous}^{tree}`)).toBe(
            await git(repo.main, 'rev-parse', 'feat^{tree}'),
          );
        }),
        { numRuns: 6 },
      );
    },
  );
});
