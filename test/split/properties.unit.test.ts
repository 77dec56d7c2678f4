import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Group } from '../../src/split/group.js';
import { packUnits, type Unit } from '../../src/split/pack.js';
import { planSplit } from '../../src/split/plan.js';
import { renderSplitPlan } from '../../src/split/render.js';
import { partTrees } from '../../src/split/trees.js';
import type { SplitFile, SplitInput, SplitPlan } from '../../src/split/types.js';

const FOLDERS = [
  '',
  'a',
  'a/b',
  'a/b/c',
  'pkg/x',
  'pkg/y',
  'pkg/x/testdata',
  'apis/tmc/v1',
  'apis/tmc/v1alpha1',
  'config/crds',
  'docs',
  'docs/guide',
  'test/e2e/z',
];
const NAMES = ['a', 'b', 'types', 'controller', 'c_d', 'tmc.kcp.io_things'];
const EXTS = ['.go', '_test.go', '.md', '.yaml', '.txt'];
const dirOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const isPackageGo = (path: string) => path.endsWith('.go') && !path.includes('testdata/');
const join = (folder: string, base: string) => (folder === '' ? base : `${folder}/${base}`);

const pathArb = fc
  .tuple(fc.constantFrom(...FOLDERS), fc.constantFrom(...NAMES), fc.constantFrom(...EXTS))
  .map(([folder, name, ext]) => join(folder, name + ext));
const linesArb = fc.oneof(fc.nat(40), fc.nat(300), fc.nat(900));
/** Mostly plain changes, some renames in their folder, a few renames across folders. */
const renameArb = fc.oneof(
  { arbitrary: fc.constant(null), weight: 20 },
  { arbitrary: fc.constantFrom(...NAMES).map((name) => ({ name })), weight: 2 },
  { arbitrary: pathArb.map((path) => ({ path })), weight: 1 },
);
const fileArb: fc.Arbitrary<SplitFile> = fc
  .record({ path: pathArb, rename: renameArb, lines: linesArb, generated: fc.boolean() })
  .map(({ path, rename, lines, generated }) => ({
    path,
    oldPath:
      rename === null
        ? null
        : 'path' in rename
          ? rename.path
          : join(dirOf(path), `${rename.name}.old${path.slice(path.lastIndexOf('.'))}`),
    lines: generated ? 0 : lines,
    generated,
  }));

/** An import: from the i-th Go file, of the j-th changed package (or of an outside module). */
const importArb = fc.tuple(fc.nat(), fc.nat(), fc.boolean());

const inputArb: fc.Arbitrary<SplitInput> = fc
  .record({
    files: fc.array(fileArb, { maxLength: 40 }),
    imports: fc.array(importArb, { maxLength: 40 }),
    /** Only imports of packages first seen earlier: an acyclic graph. */
    acyclic: fc.boolean(),
    sizes: fc.oneof(
      fc.constant({ limit: 700, target: 600 }),
      fc
        .integer({ min: 2, max: 1000 })
        .chain((limit) =>
          fc.integer({ min: 1, max: limit - 1 }).map((target) => ({ limit, target })),
        ),
    ),
  })
  .map(({ files, imports, acyclic, sizes }) => {
    const goImports = new Map<string, string[]>();
    const packages = [
      ...new Set(
        files
          .map((f) => f.path)
          .filter(isPackageGo)
          .map(dirOf),
      ),
    ];
    for (const [i, j, outside] of imports) {
      const sources = files.map((f) => f.path).filter(isPackageGo);
      if (sources.length === 0) break;
      const from = sources[i % sources.length]!;
      const k = j % Math.max(1, acyclic ? packages.indexOf(dirOf(from)) : packages.length);
      const folder = outside || k < 0 ? undefined : packages[k];
      const to = folder === undefined ? 'example.com/other' : folder === '' ? 'm' : `m/${folder}`;
      goImports.set(from, [...(goImports.get(from) ?? []), to]);
    }
    return { files, goImports, goModules: [{ dir: '', path: 'm' }], ...sizes };
  });

const key = (f: SplitFile) => JSON.stringify([f.path, f.oldPath, f.lines, f.generated]);

/** Import edges between changed package folders, as (importing file, imported folder). */
function importEdges(input: SplitInput): { file: string; folder: string }[] {
  const packages = new Set(
    input.files
      .map((f) => f.path)
      .filter(isPackageGo)
      .map(dirOf),
  );
  const edges: { file: string; folder: string }[] = [];
  for (const [file, imports] of input.goImports ?? []) {
    if (!isPackageGo(file)) continue;
    for (const imp of imports) {
      const folder = imp === 'm' ? '' : imp.startsWith('m/') ? imp.slice(2) : null;
      if (folder !== null && packages.has(folder) && folder !== dirOf(file)) {
        edges.push({ file, folder });
      }
    }
  }
  return edges;
}

function acyclic(edges: { file: string; folder: string }[]): boolean {
  const next = new Map<string, Set<string>>();
  for (const e of edges)
    next.set(dirOf(e.file), (next.get(dirOf(e.file)) ?? new Set()).add(e.folder));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string): boolean => {
    if (state.get(n) === 'done') return true;
    if (state.get(n) === 'open') return false;
    state.set(n, 'open');
    for (const m of next.get(n) ?? []) if (!visit(m)) return false;
    state.set(n, 'done');
    return true;
  };
  return [...next.keys()].every(visit);
}

/** Whether two records in different folders touch a common path (their groups merge). */
function sharesAcrossFolders(files: readonly SplitFile[]): boolean {
  const folderOf = new Map<string, string>();
  for (const f of files) {
    for (const p of f.oldPath === null ? [f.path] : [f.path, f.oldPath]) {
      const known = folderOf.get(p);
      if (known !== undefined && known !== dirOf(f.path)) return true;
      folderOf.set(p, dirOf(f.path));
    }
    if (f.oldPath !== null && dirOf(f.oldPath) !== dirOf(f.path)) return true;
  }
  return false;
}

const partIndex = (plan: SplitPlan) => {
  const at = new Map<string, number[]>();
  for (const part of plan.parts) {
    for (const f of part.files) at.set(f.path, [...(at.get(f.path) ?? []), part.index]);
  }
  return at;
};

describe('planSplit properties', () => {
  it('puts every file in exactly one part: the parts are the input', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSplit(input);
        const out = plan.parts
          .flatMap((p) => p.files)
          .map(key)
          .sort();
        expect(out).toEqual(input.files.map(key).sort());
        expect(plan.total).toBe(input.files.reduce((n, f) => n + f.lines, 0));
        expect(plan.parts.map((p) => p.index)).toEqual(plan.parts.map((_, i) => i + 1));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps every part under the limit, or reports the file that cannot be', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSplit(input);
        const oversized = new Set(plan.oversized.map((o) => o.path));
        for (const part of plan.parts) {
          expect(part.lines).toBe(part.files.reduce((n, f) => n + f.lines, 0));
          if (part.lines >= plan.limit) {
            expect(part.files.some((f) => oversized.has(f.path))).toBe(true);
          }
        }
        for (const f of input.files) if (f.lines >= plan.limit) expect(oversized).toContain(f.path);
        for (const o of plan.oversized) expect(o.lines).toBeGreaterThanOrEqual(plan.limit);
      }),
      { numRuns: 500 },
    );
  });

  it('has dependsOn point only to earlier parts', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const part of planSplit(input).parts) {
          expect([...new Set(part.dependsOn)].sort((a, b) => a - b)).toEqual(part.dependsOn);
          for (const d of part.dependsOn) {
            expect(d).toBeGreaterThanOrEqual(1);
            expect(d).toBeLessThan(part.index);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('places every imported package no later than its importer when no cycle was broken', () => {
    let checked = 0;
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSplit(input);
        const edges = importEdges(input);
        if (acyclic(edges) && !sharesAcrossFolders(input.files)) expect(plan.cycles).toEqual([]);
        if (plan.cycles.length > 0 || sharesAcrossFolders(input.files)) return;
        const at = partIndex(plan);
        for (const { file, folder } of edges) {
          const importer = Math.min(...at.get(file)!);
          const imported = input.files.filter(
            (f) => isPackageGo(f.path) && dirOf(f.path) === folder,
          );
          for (const f of imported) {
            expect(Math.max(...at.get(f.path)!)).toBeLessThanOrEqual(importer);
            checked++;
          }
        }
      }),
      { numRuns: 1000 },
    );
    // The property holds for many imports, not vacuously.
    expect(checked).toBeGreaterThan(200);
  });

  it('is deterministic, whatever the order of the input files', () => {
    const shuffledArb = inputArb.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray([...input.files], {
          minLength: input.files.length,
          maxLength: input.files.length,
        }),
      ),
    );
    fc.assert(
      fc.property(shuffledArb, ([input, shuffled]) => {
        const plan = planSplit(input);
        expect(planSplit(input)).toEqual(plan);
        // Records with one path are told apart by input order only.
        if (new Set(input.files.map((f) => f.path)).size !== input.files.length) return;
        expect(planSplit({ ...input, files: shuffled })).toEqual(plan);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each path to one part, so every part’s tree is base or head path by path', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const plan = planSplit(input);
        const trees = partTrees(plan.parts);
        const seen = new Set<string>();
        for (const tree of trees) {
          for (const path of tree.changes) {
            expect(seen.has(path)).toBe(false);
            seen.add(path);
          }
          expect(tree.fromHead).toEqual([...seen].sort());
        }
        const all = input.files.flatMap((f) =>
          f.oldPath === null ? [f.path] : [f.path, f.oldPath],
        );
        expect(trees.at(-1)?.fromHead ?? []).toEqual([...new Set(all)].sort());
        const text = renderSplitPlan(plan).join('\n');
        for (const f of input.files) expect(text).toContain(f.path);
      }),
      { numRuns: 300 },
    );
  });

  it('plans 300 files quickly', () => {
    const files: SplitFile[] = [];
    const goImports = new Map<string, string[]>();
    for (let i = 0; i < 300; i++) {
      const path = `pkg/p${i % 60}/f${i}.go`;
      files.push({ path, oldPath: null, lines: (i * 37) % 250, generated: i % 9 === 0 });
      goImports.set(path, [`m/pkg/p${(i * 7) % 60}`, `m/pkg/p${(i * 13) % 60}`, 'fmt']);
    }
    const plan = planSplit({ files, goModules: [{ dir: '', path: 'm' }], goImports });
    expect(plan.parts.flatMap((p) => p.files)).toHaveLength(300);
  });
});

describe('packUnits', () => {
  const group = (id: string) => ({ id }) as Group;
  const groups = ['a', 'b', 'c'].map(group);
  const unitArb = fc
    .record({ group: fc.constantFrom(...groups), lines: fc.oneof(fc.constant(0), fc.nat(120)) })
    .map((u): Unit => ({ group: u.group, entries: [], lines: u.lines, oversized: false }));

  /** The fewest parts and then fewest cuts over every way to cut the units, by brute force. */
  function bruteForce(units: Unit[], target: number): [number, number] {
    const n = units.length;
    let best: [number, number] = [Infinity, Infinity];
    for (let mask = 0; mask < 2 ** Math.max(0, n - 1); mask++) {
      const starts = [0, ...units.slice(1).flatMap((_, i) => ((mask >> i) & 1 ? [i + 1] : []))];
      const valid = starts.every((s, k) => {
        const part = units.slice(s, starts[k + 1] ?? n);
        const lines = part.reduce((t, u) => t + u.lines, 0);
        return part.filter((u) => u.lines > 0).length <= 1 || lines <= target;
      });
      if (!valid) continue;
      const cuts = starts.filter((s) => s > 0 && units[s - 1]!.group === units[s]!.group).length;
      const cost: [number, number] = [n === 0 ? 0 : starts.length, cuts];
      if (cost[0] < best[0] || (cost[0] === best[0] && cost[1] < best[1])) best = cost;
    }
    return best;
  }

  it('finds the fewest parts, then the fewest cut groups, of all valid cuts', () => {
    fc.assert(
      fc.property(
        fc.array(unitArb, { maxLength: 10 }),
        fc.integer({ min: 1, max: 300 }),
        (units, target) => {
          const { starts, cuts } = packUnits(units, target);
          expect([units.length === 0 ? 0 : starts.length, cuts]).toEqual(bruteForce(units, target));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
