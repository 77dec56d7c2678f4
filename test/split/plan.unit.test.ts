import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { planSplit, splitOptionsProblem } from '../../src/split/plan.js';
import { renderSplitPlan } from '../../src/split/render.js';
import { partTrees } from '../../src/split/trees.js';
import type { SplitFile, SplitPlan } from '../../src/split/types.js';

const MODULE = 'github.com/kcp-dev/kcp';
const goModules = [{ dir: '', path: MODULE }];
const file = (path: string, lines: number): SplitFile => ({
  path,
  oldPath: null,
  lines,
  generated: false,
});
const generated = (path: string): SplitFile => ({ path, oldPath: null, lines: 0, generated: true });
const m = (folder: string) => `${MODULE}/${folder}`;
const partOf = (plan: SplitPlan, path: string) =>
  plan.parts.find((p) => p.files.some((f) => f.path === path))?.index;

const API = 'apis/tmc/v1alpha1';
const CLUSTER = 'pkg/reconciler/tmc/cluster';
const PLACEMENT = 'pkg/reconciler/tmc/placement';
const COMMON = 'pkg/reconciler/tmc/common';
const CLIENT = 'pkg/client/clientset/versioned/typed/tmc/v1alpha1';

/** A TMC branch on kcp: ~2,700 counted lines, and generated deepcopy, CRDs and clients. */
const kcpFiles: SplitFile[] = [
  file(`${API}/doc.go`, 20),
  file(`${API}/register.go`, 60),
  file(`${API}/types_cluster.go`, 250),
  file(`${API}/types_placement.go`, 230),
  file(`${API}/types_cluster_test.go`, 90),
  generated(`${API}/zz_generated.deepcopy.go`),
  generated('config/crds/tmc.kcp.io_clusterregistrations.yaml'),
  generated('config/crds/tmc.kcp.io_workloadplacements.yaml'),
  generated(`${CLIENT}/cluster.go`),
  generated(`${CLIENT}/placement.go`),
  file('pkg/features/tmc.go', 40),
  file(`${COMMON}/helpers.go`, 140),
  file(`${CLUSTER}/controller.go`, 320),
  file(`${CLUSTER}/reconcile.go`, 260),
  file(`${CLUSTER}/controller_test.go`, 240),
  file(`${CLUSTER}/reconcile_test.go`, 150),
  file(`${PLACEMENT}/controller.go`, 280),
  file(`${PLACEMENT}/placement.go`, 180),
  file(`${PLACEMENT}/placement_test.go`, 160),
  file('docs/content/tmc/overview.md', 180),
  file('docs/content/tmc/placement.md', 120),
];
const kcpImports = new Map<string, string[]>([
  [`${API}/register.go`, ['k8s.io/apimachinery/pkg/runtime']],
  [`${CLIENT}/cluster.go`, [m(API), 'context']],
  [`${CLIENT}/placement.go`, [m(API)]],
  [`${COMMON}/helpers.go`, [m(API)]],
  [`${CLUSTER}/controller.go`, [m(API), m('pkg/features'), m(CLIENT), m(COMMON)]],
  [`${CLUSTER}/controller_test.go`, [m(API), 'testing']],
  [`${PLACEMENT}/controller.go`, [m(API), m('pkg/features'), m(COMMON)]],
]);

describe('planSplit on a kcp-like branch', () => {
  const plan = planSplit({ files: kcpFiles, goModules, goImports: kcpImports });

  it('splits ~2,700 counted lines into 4 to 6 parts, each under 700', () => {
    expect(plan.total).toBe(2720);
    expect(plan.parts.length).toBeGreaterThanOrEqual(4);
    expect(plan.parts.length).toBeLessThanOrEqual(6);
    for (const part of plan.parts) expect(part.lines).toBeLessThan(700);
    expect(plan.oversized).toEqual([]);
    expect(plan.cycles).toEqual([]);
  });

  it('keeps generated files and CRDs with their API package', () => {
    const api = partOf(plan, `${API}/types_cluster.go`);
    expect(partOf(plan, `${API}/zz_generated.deepcopy.go`)).toBe(api);
    expect(partOf(plan, 'config/crds/tmc.kcp.io_clusterregistrations.yaml')).toBe(api);
    expect(partOf(plan, 'config/crds/tmc.kcp.io_workloadplacements.yaml')).toBe(api);
    expect(plan.parts[api! - 1]!.reason).toContain(
      'CRD config/crds/tmc.kcp.io_clusterregistrations.yaml (API group tmc.kcp.io)',
    );
  });

  it('keeps each test with its package, and x_test.go with x.go when a package is cut', () => {
    expect(partOf(plan, `${API}/types_cluster_test.go`)).toBe(
      partOf(plan, `${API}/types_cluster.go`),
    );
    expect(partOf(plan, `${PLACEMENT}/placement_test.go`)).toBe(
      partOf(plan, `${PLACEMENT}/controller.go`),
    );
    expect(partOf(plan, `${CLUSTER}/controller_test.go`)).toBe(
      partOf(plan, `${CLUSTER}/controller.go`),
    );
    expect(partOf(plan, `${CLUSTER}/reconcile_test.go`)).toBe(
      partOf(plan, `${CLUSTER}/reconcile.go`),
    );
    // 970 lines: the cluster package cannot fit in one part, and says so.
    const cluster = plan.parts.filter((p) => p.files.some((f) => f.path.startsWith(CLUSTER)));
    expect(cluster).toHaveLength(2);
    expect(cluster.map((p) => p.name)).toEqual([`${CLUSTER} (1 of 2)`, `${CLUSTER} (2 of 2)`]);
    expect(cluster[0]!.reason).toContain('cut by file across 2 parts: 970 counted lines');
  });

  it('orders parts by imports: API first, then clients and helpers, controllers, docs last', () => {
    const at = (path: string) => partOf(plan, path)!;
    expect(at(`${API}/types_cluster.go`)).toBe(1);
    expect(at(`${CLIENT}/cluster.go`)).toBeLessThanOrEqual(at(`${CLUSTER}/controller.go`));
    expect(at(`${COMMON}/helpers.go`)).toBeLessThanOrEqual(at(`${CLUSTER}/reconcile.go`));
    expect(at('pkg/features/tmc.go')).toBeLessThanOrEqual(at(`${PLACEMENT}/controller.go`));
    expect(at('docs/content/tmc/overview.md')).toBe(plan.parts.length);
    const placement = plan.parts[at(`${PLACEMENT}/controller.go`) - 1]!;
    expect(placement.dependsOn).toContain(at(`${API}/types_cluster.go`));
    expect(placement.dependsOn).toContain(at(`${COMMON}/helpers.go`));
    expect(plan.parts.at(-1)!.dependsOn).toEqual([]);
  });

  it('is the same plan for the files in any input order', () => {
    const reversed = planSplit({
      files: [...kcpFiles].reverse(),
      goModules,
      goImports: kcpImports,
    });
    expect(reversed).toEqual(plan);
  });

  it('renders every part with its lines, why and files', () => {
    const text = renderSplitPlan(plan).join('\n');
    expect(text).toContain(
      `2720 counted lines in ${plan.parts.length} parts (each under 700, aiming at 600)`,
    );
    expect(text).toMatch(/^1\. apis\/tmc\/v1alpha1 {2}650 lines$/m);
    expect(text).toContain(`   gen  ${API}/zz_generated.deepcopy.go`);
    expect(text).toContain('   builds on: the base branch only');
    for (const f of kcpFiles) expect(text).toContain(f.path);
  });
});

describe('planSplit rules', () => {
  it('orders without Go by kind and folder depth: code, e2e tests, docs', () => {
    const plan = planSplit({
      files: [
        file('README.md', 10),
        file('test/e2e/x/run.sh', 10),
        file('a/b/c/deep.txt', 10),
        file('top.txt', 10),
        file('a/mid.txt', 10),
      ],
      target: 10,
      limit: 11,
    });
    expect(plan.parts.map((p) => p.files[0]!.path)).toEqual([
      'top.txt',
      'a/mid.txt',
      'a/b/c/deep.txt',
      'test/e2e/x/run.sh',
      'README.md',
    ]);
  });

  it('reports a file at the limit as oversized and gives it a part of its own', () => {
    const plan = planSplit({ files: [file('x/big.go', 700), file('x/small.go', 10)] });
    expect(plan.oversized).toEqual([
      {
        path: 'x/big.go',
        lines: 700,
        reason: expect.stringContaining('700 counted lines in one file reach the limit of 700'),
      },
    ]);
    expect(plan.parts.map((p) => p.files.map((f) => f.path))).toEqual([
      ['x/big.go'],
      ['x/small.go'],
    ]);
  });

  it('cuts a package at the limit by file; generated files ride with the last piece', () => {
    const plan = planSplit({
      files: [
        file('p/a.go', 400),
        file('p/b.go', 400),
        generated('p/zz_generated.deepcopy.go'),
        file('p/testdata/x.json', 10),
      ],
    });
    expect(plan.parts.map((p) => p.files.map((f) => f.path))).toEqual([
      ['p/a.go'],
      ['p/b.go', 'p/testdata/x.json', 'p/zz_generated.deepcopy.go'],
    ]);
    expect(plan.parts.map((p) => p.dependsOn)).toEqual([[], [1]]);
  });

  it('keeps a rename with a new file at its old path in one part', () => {
    const plan = planSplit({
      files: [
        { path: 'new/a.go', oldPath: 'old/a.go', lines: 300, generated: false },
        file('old/a.go', 350),
      ],
    });
    expect(plan.parts).toHaveLength(1);
    expect(plan.parts[0]!.reason).toContain('touch the same paths');
  });

  it('keeps a file with the files under a folder of its name in one part', () => {
    // `x` becomes a file where the folder `x/` was: no tree holds both, so no part can take one
    // without the other (git would drop the folder's files from the part that adds the file).
    const plan = planSplit({
      files: [
        file('x', 400),
        { path: 'y/big.txt', oldPath: 'x/a.txt', lines: 200, generated: false },
        file('x/b/c.txt', 50),
        file('xy/d.txt', 300),
      ],
    });
    expect(partOf(plan, 'x')).toBe(partOf(plan, 'y/big.txt'));
    expect(partOf(plan, 'x')).toBe(partOf(plan, 'x/b/c.txt'));
    expect(partOf(plan, 'xy/d.txt')).not.toBe(partOf(plan, 'x'));
    expect(plan.parts.find((p) => p.index === partOf(plan, 'x'))!.reason).toContain(
      'touch the same paths',
    );
  });

  it('puts the counting rules in the last part, after docs, whatever their folder', () => {
    const rule = (path: string, lines: number): SplitFile => ({ ...file(path, lines), rule: true });
    const plan = planSplit({
      files: [
        rule('.gitattributes', 2),
        rule('sub/.gitattributes', 1),
        file('a.txt', 500),
        file('sub/b.txt', 500),
        file('docs/x.md', 300),
      ],
    });
    const last = plan.parts.at(-1)!;
    expect(last.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['.gitattributes', 'sub/.gitattributes']),
    );
    expect(partOf(plan, 'docs/x.md')).toBe(last.index);
    expect(last.reason).toContain('counting rules (.gitattributes, sub/.gitattributes), last');
  });

  it('breaks an import cycle deterministically and reports the deferred import', () => {
    const files = [file('a/a.go', 400), file('b/b.go', 400)];
    const goImports = new Map([
      ['a/a.go', ['m/b']],
      ['b/b.go', ['m/a']],
    ]);
    const plan = planSplit({ files, goModules: [{ dir: '', path: 'm' }], goImports });
    expect(plan.cycles).toEqual([
      { packages: ['a', 'b'], deferred: [{ from: 'a', to: 'b', test: false }] },
    ]);
    expect(plan.parts.map((p) => p.dependsOn)).toEqual([[], [1]]);
    expect(renderSplitPlan(plan)).toContain('   a imports b, which lands after it');
  });

  it('prefers deferring a test import over a build import in a cycle', () => {
    const files = [file('a/a.go', 400), file('b/b.go', 400), file('b/b_test.go', 10)];
    const goImports = new Map([
      ['a/a.go', ['m/b']],
      ['b/b_test.go', ['m/a']],
    ]);
    const plan = planSplit({ files, goModules: [{ dir: '', path: 'm' }], goImports });
    expect(plan.cycles[0]!.deferred).toEqual([{ from: 'b', to: 'a', test: true }]);
    expect(partOf(plan, 'b/b.go')).toBeLessThan(partOf(plan, 'a/a.go')!);
  });

  it('ties a CRD to the highest changed API version, after the other versions', () => {
    const plan = planSplit({
      files: [
        file('apis/tmc/v1alpha1/types.go', 500),
        file('apis/tmc/v1/types.go', 500),
        file('pkg/client/tmc/v1/client.go', 10),
        file('config/crds/tmc.kcp.io_things.yaml', 20),
      ],
    });
    expect(partOf(plan, 'config/crds/tmc.kcp.io_things.yaml')).toBe(
      partOf(plan, 'apis/tmc/v1/types.go'),
    );
    expect(partOf(plan, 'apis/tmc/v1alpha1/types.go')).toBe(1);
  });

  it('refuses a target at or over the limit with the fix', () => {
    expect(splitOptionsProblem(700, 700)).toMatch(/--target 700 must be below --limit 700/);
    expect(() => planSplit({ files: [], limit: 500 })).toThrow(UsageError);
    expect(splitOptionsProblem(0, 600)).toMatch(/--limit 0 is not a positive/);
  });

  it('plans nothing for no files', () => {
    const plan = planSplit({ files: [] });
    expect(plan).toEqual({
      limit: 700,
      target: 600,
      total: 0,
      parts: [],
      oversized: [],
      cycles: [],
    });
    expect(renderSplitPlan(plan)).toEqual(['nothing to split: the branch changes no files']);
  });

  it('escapes control characters of paths in the text', () => {
    const plan = planSplit({ files: [file('x/\u001b[31mred.txt', 1)] });
    const text = renderSplitPlan(plan).join('\n');
    expect(text).not.toContain('\u001b');
    expect(text).toContain('x/\\x1b[31mred.txt');
  });
});

describe('partTrees', () => {
  it('lists each part’s changes, old paths of renames included, and the paths at head so far', () => {
    const trees = partTrees([
      {
        index: 1,
        files: [
          { path: 'b/new.go', oldPath: 'a/old.go', lines: 1, generated: false },
          { path: 'a/x.go', oldPath: null, lines: 1, generated: false },
        ],
      },
      { index: 2, files: [{ path: 'c/y.go', oldPath: null, lines: 1, generated: false }] },
    ]);
    expect(trees).toEqual([
      {
        index: 1,
        changes: ['a/old.go', 'a/x.go', 'b/new.go'],
        fromHead: ['a/old.go', 'a/x.go', 'b/new.go'],
      },
      { index: 2, changes: ['c/y.go'], fromHead: ['a/old.go', 'a/x.go', 'b/new.go', 'c/y.go'] },
    ]);
  });
});
