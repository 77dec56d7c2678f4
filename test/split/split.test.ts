import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SplitData } from '../../src/commands/split.js';
import type { LineReport } from '../../src/linecount/count.js';
import type { StackPartStatus } from '../../src/status/parts.js';
import { parseGoImports } from '../../src/split/go-imports.js';
import { kcpTemplates, squashMerge } from '../helpers/fixtures.js';
import {
  API,
  CLUSTER,
  COMMON,
  kcpBranchFiles,
  MODULE,
  PLACEMENT,
  smallBranchFiles,
} from '../helpers/kcp-branch.js';
import { commitFiles, git, makeRepo, writeFile } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';

const templates = kcpTemplates({
  whole: {},
  /** Three parts (see smallBranchFiles): for the tests that add a worktree per part. */
  small: { branch: 'feat', files: smallBranchFiles() },
});

/** Worktrees made, synced and measured one by one: many git processes on a loaded machine. */
const HEAVY = { timeout: 240_000 };

const folderOf = (p: string) => p.slice(0, p.lastIndexOf('/'));

async function branches(cwd: string): Promise<string[]> {
  const out = await git(cwd, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/');
  return out.split('\n').filter(Boolean).sort();
}

describe('tmc-orch split: the plan of a kcp-like branch', () => {
  it('plans 4 to 6 parts under 700, every changed file once, in import order; changes nothing', async () => {
    const repo = templates.whole();
    const before = await git(repo.main, 'for-each-ref');
    const lines = await runJsonIn<LineReport>(['lines'], { cwd: repo.main });
    expect(lines.json.counted.lines).toBe(2620);
    expect(lines.json.excluded.lines).toBe(1200);

    const {
      json: plan,
      exitCode,
      stderr,
    } = await runJsonIn<SplitData>(['split'], {
      cwd: repo.main,
    });
    expect(exitCode, stderr).toBe(0);
    expect(plan).toMatchObject({ base: 'origin/main', head: 'HEAD', limit: 700, target: 600 });
    expect(plan.total).toBe(2620);
    expect(plan.applied).toBeNull();
    expect(plan.oversized).toEqual([]);
    expect(plan.parts.length).toBeGreaterThanOrEqual(4);
    expect(plan.parts.length).toBeLessThanOrEqual(6);
    for (const part of plan.parts) expect(part.lines).toBeLessThan(700);

    // Every changed file in exactly one part, with the counts of `lines`.
    const planned = plan.parts.flatMap((p) => p.files.map((f) => [f.path, f.lines] as const));
    expect(planned.map(([p]) => p).sort()).toEqual(lines.json.files.map((f) => f.path).sort());
    expect(new Map(planned)).toEqual(new Map(lines.json.files.map((f) => [f.path, f.lines])));

    const partOf = (file: string) => plan.parts.find((p) => p.files.some((f) => f.path === file))!;
    // Generated files ride with the sources they come from, and cost nothing.
    expect(partOf(`${API}/zz_generated.deepcopy.go`).index).toBe(
      partOf(`${API}/types_cluster.go`).index,
    );
    expect(partOf('config/crds/tmc.kcp.io_clusterregistrations.yaml').index).toBe(
      partOf(`${API}/types_cluster.go`).index,
    );
    // Tests ride with their package (a package cut by file keeps x_test.go with x.go).
    expect(partOf(`${API}/types_cluster_test.go`).index).toBe(
      partOf(`${API}/types_cluster.go`).index,
    );
    expect(partOf(`${PLACEMENT}/placement_test.go`).index).toBe(
      partOf(`${PLACEMENT}/placement.go`).index,
    );
    expect(partOf(`${CLUSTER}/controller_test.go`).index).toBe(
      partOf(`${CLUSTER}/controller.go`).index,
    );
    // Order: a package's part comes at or after the parts of every package it imports.
    const files = kcpBranchFiles();
    for (const part of plan.parts) {
      for (const f of part.files.filter((x) => x.path.endsWith('.go'))) {
        for (const { path: imported } of parseGoImports(files[f.path]!)) {
          if (!imported.startsWith(`${MODULE}/`)) continue;
          const folder = imported.slice(MODULE.length + 1);
          const deps = plan.parts.filter((p) => p.files.some((x) => folderOf(x.path) === folder));
          for (const dep of deps) expect(dep.index).toBeLessThanOrEqual(part.index);
        }
      }
    }
    expect(plan.parts.at(-1)!.files.every((f) => f.path.startsWith('docs/'))).toBe(true);
    expect(await git(repo.main, 'for-each-ref')).toBe(before);
  });

  it('prints each part with its lines, what it builds on, why, and its files', async () => {
    const repo = templates.whole();
    const result = await runIn(['split', 'tmc'], { cwd: repo.main });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^tmc against origin\/main \(merge base [0-9a-f]{10}\):$/m);
    expect(result.stdout).toMatch(/^2620 counted lines in [4-6] parts \(each under 700/m);
    expect(result.stdout).toMatch(/^1\. apis\/tmc\/v1alpha1 {2}\d+ lines$/m);
    expect(result.stdout).toContain(`why: Go package ${API} with its tests and`);
    expect(result.stdout).toContain(`   gen  ${API}/zz_generated.deepcopy.go`);
    expect(result.stderr).toContain('make these branches: tmc-orch split --apply tmc');
  });

  it('exits 1 naming a file that alone reaches the limit, and never puts it over silently', async () => {
    const repo = templates.whole();
    await commitFiles(repo.main, { [`${COMMON}/huge.go`]: 'x\n'.repeat(750) });
    const result = await runJsonIn<SplitData>(['split'], { cwd: repo.main });
    expect(result.exitCode).toBe(1);
    expect(result.json.oversized).toEqual([
      expect.objectContaining({ path: `${COMMON}/huge.go`, lines: 750 }),
    ]);
    const text = await runIn(['split'], { cwd: repo.main });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(
      /pkg\/reconciler\/tmc\/common\/huge\.go: 750 counted lines in one file/,
    );
    const apply = await runIn(['split', '--apply'], { cwd: repo.main });
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('huge.go (750 counted lines) alone reach it');
    expect(await branches(repo.main)).toEqual(['main', 'tmc']);
  });

  it('refuses --name or --worktrees without --apply, and a target not below the limit', async () => {
    const repo = templates.whole();
    const name = await runIn(['split', '--name', 'x'], { cwd: repo.main });
    expect(name.exitCode).toBe(2);
    expect(name.stderr).toContain('--name only applies to the branches --apply makes');
    const target = await runIn(['split', '--limit', '500', '--target', '500'], {
      cwd: repo.main,
    });
    expect(target.exitCode).toBe(2);
    expect(target.stderr).toContain('--target 500 must be below --limit 500');
  });

  it('suggests values that work for a bad --target or a --limit with no room', async () => {
    const repo = templates.whole();
    const before = await git(repo.main, 'for-each-ref');
    const zero = await runIn(['split', '--target', '0'], { cwd: repo.main });
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr.trim()).toBe(
      'tmc-orch: --target "0" is not a positive whole number; pass e.g. --target 600',
    );
    const one = await runIn(['split', '--limit', '1'], { cwd: repo.main });
    expect(one.exitCode).toBe(2);
    expect(one.stderr.trim()).toBe(
      'tmc-orch: --limit 1 leaves no room for a part (a part passes below the limit, with at least 1 line); pass e.g. --limit 700',
    );
    expect(await git(repo.main, 'for-each-ref')).toBe(before);
  });
});

describe('tmc-orch split --apply', () => {
  it(
    'stacks one branch per part whose last tree is the branch tree, and records the stack',
    HEAVY,
    async () => {
      const repo = templates.whole();
      const tmc = await git(repo.main, 'rev-parse', 'tmc');
      const { json, exitCode, stderr } = await runJsonIn<SplitData>(['split', '--apply'], {
        cwd: repo.main,
      });
      expect(exitCode, stderr).toBe(0);
      const applied = json.applied!;
      const n = json.parts.length;
      expect(applied.parts.map((p) => p.branch)).toEqual(
        Array.from({ length: n }, (_, i) => `tmc-part-${i + 1}`),
      );
      // REV's branch is untouched; the last part holds exactly its tree.
      expect(await git(repo.main, 'rev-parse', 'tmc')).toBe(tmc);
      expect(await git(repo.main, 'rev-parse', `tmc-part-${n}^{tree}`)).toBe(
        await git(repo.main, 'rev-parse', 'tmc^{tree}'),
      );
      const mergeBase = await git(repo.main, 'merge-base', 'origin/main', 'tmc');
      let previous = mergeBase;
      for (const part of applied.parts) {
        const planned = json.parts[part.index - 1]!;
        // Each part is one commit on the one before; it changes exactly its planned files.
        expect(await git(repo.main, 'rev-parse', `${part.branch}^`)).toBe(previous);
        const changed = await git(repo.main, 'diff', '--name-only', previous, part.branch);
        expect(changed.split('\n').sort()).toEqual(planned.files.map((f) => f.path).sort());
        // The stack is in git config; each part's check is against the part before.
        const parent = part.index === 1 ? null : `tmc-part-${part.index - 1}`;
        expect(part.parent).toBe(parent);
        if (parent) {
          expect(await git(repo.main, 'config', `branch.${part.branch}.tmcOrchParent`)).toBe(
            parent,
          );
        }
        expect(part.check).toEqual({ lines: planned.lines, limit: 700, withinLimit: true });
        previous = part.commit;
      }
      const text = await runIn(['check', `tmc-part-${n}`], { cwd: repo.main });
      expect(text.exitCode, text.stderr).toBe(0);
      expect(text.stdout).toContain(`tmc-part-${n - 1}, its stack parent,`);
    },
  );

  it('prints the order to open the PRs in and each part verdict, and logs one entry', async () => {
    const repo = templates.small();
    const result = await runIn(['split', '--apply', 'feat'], { cwd: repo.main });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('open the PRs in this order, each against the one before it:');
    expect(result.stdout).toContain(
      [
        '  1. feat-part-1 → origin/main: 400 lines, under the limit of 700',
        '  2. feat-part-2 → feat-part-1: 450 lines, under the limit of 700',
        '  3. feat-part-3 → feat-part-2: 250 lines, under the limit of 700',
      ].join('\n'),
    );
    const log = await runJsonIn<{ entries: { message: string }[] }>(['log', 'show'], {
      cwd: repo.main,
    });
    const entries = log.json.entries.filter((e) => e.message.includes('split'));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.message).toMatch(
      /^split feat \([0-9a-f]{10}, 1100 counted lines\) into 3 stacked parts: feat-part-1 \(400\), feat-part-2 \(450\), feat-part-3 \(250\)$/,
    );
  });

  it('refuses a dirty worktree with exit 2 and creates nothing', async () => {
    const repo = templates.whole();
    writeFileSync(path.join(repo.main, `${API}/doc.go`), 'package v1alpha1\n');
    const result = await runIn(['split', '--apply'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/worktree repo has uncommitted changes \(1 unstaged\)/);
    expect(await branches(repo.main)).toEqual(['main', 'tmc']);
  });

  it('refuses an existing part name with exit 2 and creates nothing', async () => {
    const repo = templates.whole();
    await git(repo.main, 'branch', 'tmc-part-3', 'main');
    const result = await runIn(['split', '--apply'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('branch tmc-part-3 already exists; nothing was created');
    expect(await branches(repo.main)).toEqual(['main', 'tmc', 'tmc-part-3']);
    // A part name under an existing branch cannot be a ref beside it.
    const nested = await runIn(['split', '--apply', '--name', 'tmc/p'], { cwd: repo.main });
    expect(nested.exitCode).toBe(2);
    expect(nested.stderr).toContain('tmc/p-1 clashes with branch tmc');
    expect(await branches(repo.main)).toEqual(['main', 'tmc', 'tmc-part-3']);
  });

  it('keeps a file that replaces a folder with that folder’s files, so each part is as planned', async () => {
    const repo = await makeRepo();
    const seq = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n') + '\n';
    await commitFiles(repo.main, { 'x/a.txt': seq(300, 'a'), '.tmc-orch.json': '{"remote":""}' });
    await git(repo.main, 'checkout', '-q', '-b', 'df');
    // The folder x/ goes (its file renamed to y/, similar enough for git), a file x comes.
    rmSync(path.join(repo.main, 'x'), { recursive: true });
    writeFile(repo.main, 'y/big.txt', `${seq(300, 'a')}${seq(200, 'b')}`);
    writeFile(repo.main, 'x', seq(401, 'x'));
    writeFile(repo.main, 'z/z.txt', seq(500, 'z'));
    await git(repo.main, 'add', '-A');
    await git(repo.main, 'commit', '-q', '-m', 'df');
    const { json, exitCode, stderr } = await runJsonIn<SplitData>(['split', '--apply'], {
      cwd: repo.main,
    });
    expect(exitCode, stderr).toBe(0);
    for (const part of json.applied!.parts) {
      expect(part.check).toEqual({
        lines: json.parts[part.index - 1]!.lines,
        limit: 700,
        withinLimit: true,
      });
    }
  });

  it('counts every part as planned when the branch changes the counting rules', async () => {
    const repo = await makeRepo();
    const seq = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n') + '\n';
    await commitFiles(repo.main, {
      '.tmc-orch.json': '{"remote":""}',
      '.gitattributes': 'd/e/big.txt linguist-generated\n',
      'd/e/big.txt': seq(10, 'big'),
    });
    await git(repo.main, 'checkout', '-q', '-b', 'rules');
    // The branch stops marking big.txt generated, and grows it: the plan (and the gate on the
    // whole branch) judge it by the rules at the merge base, so each part must be judged so too.
    await commitFiles(repo.main, {
      '.gitattributes': '',
      'd/e/big.txt': seq(900, 'big'),
      'd/e/h.txt': seq(300, 'h'),
      'c/c.txt': seq(500, 'c'),
    });
    const { json, exitCode, stderr } = await runJsonIn<SplitData>(['split', '--apply'], {
      cwd: repo.main,
    });
    expect(exitCode, stderr).toBe(0);
    expect(json.parts.at(-1)!.files.map((f) => f.path)).toContain('.gitattributes');
    for (const part of json.applied!.parts) {
      expect(part.check).toEqual({
        lines: json.parts[part.index - 1]!.lines,
        limit: 700,
        withinLimit: true,
      });
    }
  });

  it('checks the first part against --base, the base its PR is against', async () => {
    const repo = await makeRepo();
    const seq = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n') + '\n';
    await commitFiles(repo.main, { '.tmc-orch.json': '{"remote":""}' });
    // develop is 600 lines ahead of main; the branch adds 1,000 lines on develop.
    await git(repo.main, 'checkout', '-q', '-b', 'develop');
    await commitFiles(repo.main, { 'dev.txt': seq(600, 'dev') });
    await git(repo.main, 'checkout', '-q', '-b', 'feat');
    await commitFiles(repo.main, { 'a/a.txt': seq(500, 'a'), 'b/b.txt': seq(500, 'b') });
    const { json, exitCode, stderr } = await runJsonIn<SplitData>(
      ['split', '--apply', '--base', 'develop'],
      { cwd: repo.main },
    );
    expect(exitCode, stderr).toBe(0);
    expect(json.applied!.parts.map((p) => [p.parent, p.check])).toEqual([
      [null, { lines: 500, limit: 700, withinLimit: true }],
      ['feat-part-1', { lines: 500, limit: 700, withinLimit: true }],
    ]);
    const text = await runIn(['split', '--apply', '--base', 'develop', '--name', 'f'], {
      cwd: repo.main,
    });
    expect(text.stdout).toContain('  1. f-1 → develop: 500 lines, under the limit of 700');
  });

  it('removes every branch it made when recording the stack fails midway', async () => {
    const repo = templates.whole();
    const lock = path.join(repo.main, '.git', 'config.lock');
    writeFileSync(lock, '');
    const result = await runIn(['split', '--apply'], { cwd: repo.main });
    expect(result.exitCode).toBe(70);
    expect(result.stderr).toContain('split --apply failed midway');
    expect(result.stderr).toContain('every branch, record and worktree it had made was removed');
    expect(await branches(repo.main)).toEqual(['main', 'tmc']);
    expect(existsSync(lock)).toBe(true);
  });

  it('removes every worktree and branch it made when adding a worktree fails midway', async () => {
    const repo = templates.small();
    // git makes the third worktree, then fails on its post-checkout hook.
    writeFileSync(
      path.join(repo.main, '.git', 'hooks', 'post-checkout'),
      '#!/bin/sh\ncase "$PWD" in */s-3) exit 1 ;; esac\n',
      { mode: 0o755 },
    );
    const result = await runIn(['split', '--apply', '--worktrees', '--name', 's'], {
      cwd: repo.main,
    });
    expect(result.exitCode).toBe(70);
    expect(result.stderr).toContain('every branch, record and worktree it had made was removed');
    expect(await branches(repo.main)).toEqual(['feat', 'main']);
    const listed = await git(repo.main, 'worktree', 'list', '--porcelain');
    expect(listed.split('\n').filter((l) => l.startsWith('worktree '))).toEqual([
      `worktree ${repo.main}`,
    ]);
    expect(existsSync(path.join(repo.worktreeRoot, 's-3'))).toBe(false);
    expect(await git(repo.main, 'for-each-ref', 'refs/tmc-orch/claims/')).toBe('');
  });

  it(
    'adds a claimed worktree per part; status shows each with its parent and PR lines',
    HEAVY,
    async () => {
      const repo = templates.small();
      const { json, exitCode, stderr } = await runJsonIn<SplitData>(
        ['split', '--apply', '--worktrees', '--name', 's'],
        { cwd: repo.main },
      );
      expect(exitCode, stderr).toBe(0);
      const claims = await runJsonIn<{ claims: { worktree: string; agent: string }[] }>(
        ['claims'],
        {
          cwd: repo.main,
        },
      );
      const status = await runJsonIn<{
        worktrees: {
          name: string;
          parent: string | null;
          lines: number | null;
          conflicts: { overlap: { name: string }[]; withWorktrees: { name: string }[] };
        }[];
      }>(['status'], { cwd: repo.main });
      expect(json.applied!.parts).toHaveLength(3);
      for (const part of json.applied!.parts) {
        expect(part.worktree).toEqual({
          name: part.branch,
          path: path.join(repo.worktreeRoot, part.branch),
        });
        expect(await git(part.worktree!.path, 'branch', '--show-current')).toBe(part.branch);
        expect(claims.json.claims).toContainEqual(
          expect.objectContaining({ worktree: part.branch, agent: 'agent-test' }),
        );
        // status counts each part's PR against its parent, as lines does; the parts of one
        // stack hold each other's changes by design, which is no overlap to warn about (the
        // branch they were split from, checked out in the main worktree, does overlap them).
        const row = status.json.worktrees.find((w) => w.name === part.branch)!;
        expect(row).toMatchObject({ parent: part.parent, lines: part.check.lines });
        const others = [...row.conflicts.overlap, ...row.conflicts.withWorktrees];
        expect(others.map((o) => o.name)).toEqual(['repo']);
      }
      const text = await runIn(['status', '--no-conflicts'], { cwd: repo.main });
      expect(text.stdout).toMatch(/ s-2 \(on s-1\) /);
    },
  );
});

interface SyncJsonResult {
  name: string;
  status: string;
  skip: string | null;
  reason: string | null;
  stack: { onto: string; parent: string | null; previousParent: string } | null;
}

describe('the stack everywhere else', () => {
  it(
    'restacks the rest after part 1 is squash-merged: each part under the limit, nothing lost',
    HEAVY,
    async () => {
      const repo = templates.whole();
      const { json } = await runJsonIn<SplitData>(
        ['split', '--apply', '--worktrees', '--name', 's'],
        {
          cwd: repo.main,
        },
      );
      const parts = json.applied!.parts;
      const n = parts.length;
      await squashMerge(repo, 's-1');

      const sync = await runJsonIn<{ results: SyncJsonResult[] }>(['sync', '--all'], {
        cwd: repo.main,
      });
      expect(sync.exitCode, sync.stderr).toBe(0);
      const result = (name: string) => sync.json.results.find((r) => r.name === name)!;
      // Part 1 is in the base: part 2 goes onto the base, its record now says so.
      expect(result('s-2')).toMatchObject({
        status: 'updated',
        stack: { onto: 'origin/main', parent: null, previousParent: 's-1' },
      });
      expect(await git(repo.main, 'rev-parse', 's-2^')).toBe(
        await git(repo.main, 'rev-parse', 'origin/main'),
      );
      // The parts above are replayed onto their parent's new tip, one commit each.
      for (const part of parts.slice(2)) {
        const parent = `s-${part.index - 1}`;
        expect(result(part.branch)).toMatchObject({
          status: 'updated',
          stack: { onto: parent, parent, previousParent: parent },
        });
        expect(await git(repo.main, 'rev-parse', `${part.branch}^`)).toBe(
          await git(repo.main, 'rev-parse', parent),
        );
      }
      // Every part still applies and is under the limit, measured as its PR (against its parent,
      // part 2 against the base now).
      const status = await runJsonIn<{
        worktrees: { name: string; parent: string | null; lines: number; withinLimit: boolean }[];
      }>(['status', '--no-conflicts'], { cwd: repo.main });
      for (const part of parts.slice(1)) {
        expect(status.json.worktrees.find((w) => w.name === part.branch)).toMatchObject({
          parent: part.index === 2 ? null : `s-${part.index - 1}`,
          lines: part.check.lines,
          withinLimit: true,
        });
      }
      // No change lost: the top of the stack has every file of the branch as the branch has it,
      // and the base's own change.
      const changed = (await git(repo.main, 'diff', '--name-only', 'origin/main~2', 'tmc')).split(
        '\n',
      );
      expect(await git(repo.main, 'diff', '--stat', 'tmc', `s-${n}`, '--', ...changed)).toBe('');
      expect(await git(repo.main, 'show', `s-${n}:OWNERS`)).toContain('someone');
      // Nothing left to do: the records say where each part is now.
      const again = await runJsonIn<{ results: SyncJsonResult[] }>(['sync', '--all', '--dry-run'], {
        cwd: repo.main,
      });
      expect(
        again.json.results.filter((r) => r.status !== 'up-to-date' && r.status !== 'skipped'),
      ).toEqual([]);
    },
  );

  it(
    'restacks a part onto its rewritten parent, replaying only its own commit',
    HEAVY,
    async () => {
      const repo = templates.small();
      const { json } = await runJsonIn<SplitData>(
        ['split', '--apply', '--worktrees', '--name', 's'],
        {
          cwd: repo.main,
        },
      );
      const [one] = json.applied!.parts;
      // Review fixes amended into part 1: its old commit is gone from the branch.
      writeFileSync(path.join(one!.worktree!.path, 'pkg/api/types.go'), 'package api // fixed\n');
      await git(one!.worktree!.path, 'commit', '-q', '-a', '--amend', '--no-edit');
      const sync = await runJsonIn<{ results: SyncJsonResult[] }>(['sync', 's-2'], {
        cwd: repo.main,
      });
      expect(sync.exitCode, sync.stderr).toBe(0);
      expect(sync.json.results[0]).toMatchObject({ status: 'updated', stack: { onto: 's-1' } });
      expect(await git(repo.main, 'rev-parse', 's-2^')).toBe(
        await git(repo.main, 'rev-parse', 's-1'),
      );
      expect(await git(repo.main, 'rev-list', '--count', 's-1..s-2')).toBe('1');
      const files = await git(repo.main, 'diff', '--name-only', 's-1', 's-2');
      expect(files.split('\n').sort()).toEqual(json.parts[1]!.files.map((f) => f.path).sort());
      expect(await git(repo.main, 'config', 'branch.s-2.tmcOrchForkPoint')).toBe(
        await git(repo.main, 'rev-parse', 's-1'),
      );
    },
  );

  it(
    'measures a part whose parent branch is gone against the base, and says to restack it',
    HEAVY,
    async () => {
      const repo = templates.small();
      const { json } = await runJsonIn<SplitData>(['split', '--apply', '--name', 's'], {
        cwd: repo.main,
      });
      const [one, two] = json.applied!.parts;
      // Part 1 squash-merged, then its branch deleted (as hosts and worktree clean do).
      await squashMerge(repo, 's-1');
      await git(repo.main, 'fetch', '-q', 'origin');
      await git(repo.main, 'branch', '-D', 's-1');
      const lines = await runJsonIn<LineReport>(['lines', 's-2'], { cwd: repo.main });
      expect(lines.json).toMatchObject({ base: 'origin/main', parent: null, goneParent: 's-1' });
      expect(lines.json.counted.lines).toBe(one!.check.lines + two!.check.lines);
      const check = await runIn(['check', 's-2'], { cwd: repo.main });
      expect(check.exitCode).toBe(1);
      expect(check.stdout).toContain(
        'its stack parent s-1 is gone, so it is measured against origin/main, with the parent',
      );
      expect(check.stderr).toContain(
        'its stack parent s-1 is gone: if it was merged into origin/main, restack this branch onto it first (tmc-orch sync, in its worktree), then check again',
      );
      // Without a worktree, status lists it the same way, below the worktrees.
      const parts = await runJsonIn<{ parts: StackPartStatus[] }>(['status', '--no-conflicts'], {
        cwd: repo.main,
      });
      expect(parts.json.parts.map((p) => [p.branch, p.parent, p.goneParent])).toEqual([
        ['s-2', null, 's-1'],
        ['s-3', 's-2', null],
      ]);
      expect(parts.json.parts[0]?.lines).toBe(lines.json.counted.lines);
      // The advice works: synced in a worktree, the part is its own PR again.
      const added = await runIn(['worktree', 'add', 's-2'], { cwd: repo.main });
      expect(added.exitCode, added.stderr).toBe(0);
      // status says the same as lines: counted against the base, the parent gone.
      const status = await runJsonIn<{
        worktrees: {
          name: string;
          parent: string | null;
          goneParent: string | null;
          lines: number;
        }[];
      }>(['status', '--no-conflicts'], { cwd: repo.main });
      expect(status.json.worktrees.find((w) => w.name === 's-2')).toMatchObject({
        parent: null,
        goneParent: 's-1',
        lines: lines.json.counted.lines,
      });
      const shown = await runIn(['status', '--no-conflicts'], { cwd: repo.main });
      expect(shown.stdout).toContain('s-2 (parent s-1 gone)');
      const sync = await runIn(['sync', 's-2'], { cwd: repo.main });
      expect(sync.exitCode, sync.stderr).toBe(0);
      const after = await runJsonIn<LineReport>(['check', 's-2'], { cwd: repo.main });
      expect(after.exitCode, after.stderr).toBe(0);
      expect(after.json).toMatchObject({ parent: null, goneParent: null });
      expect(after.json.counted.lines).toBe(two!.check.lines);
    },
  );

  it(
    'status lists the parts without a worktree: parent, ahead/behind it, PR lines against it',
    HEAVY,
    async () => {
      const repo = templates.small();
      const { json } = await runJsonIn<SplitData>(['split', '--apply', '--name', 's'], {
        cwd: repo.main,
      });
      const lines = json.applied!.parts.map((p) => p.check.lines);
      // Part 3 gets a worktree (it is a row then, not a part); part 1 moves on by a review fix.
      const added = await runIn(['worktree', 'add', 's-3'], { cwd: repo.main });
      expect(added.exitCode, added.stderr).toBe(0);
      const fix = await git(repo.main, 'commit-tree', 's-1^{tree}', '-p', 's-1', '-m', 'fix');
      await git(repo.main, 'update-ref', 'refs/heads/s-1', fix);

      const status = await runJsonIn<{
        parts: StackPartStatus[];
        worktrees: { name: string; parent: string | null }[];
      }>(['status', '--no-conflicts'], { cwd: repo.main });
      expect(status.exitCode, status.stderr).toBe(0);
      // Each stack bottom up: part 1 (its PR against the base), then part 2 on it.
      expect(status.json.parts).toEqual([
        {
          branch: 's-1',
          head: fix,
          parent: null,
          goneParent: null,
          ahead: 2,
          behind: 0,
          lines: lines[0],
          withinLimit: true,
          problem: null,
        },
        {
          branch: 's-2',
          head: await git(repo.main, 'rev-parse', 's-2'),
          parent: 's-1',
          goneParent: null,
          ahead: 1,
          behind: 1,
          lines: lines[1],
          withinLimit: true,
          problem: null,
        },
      ]);
      expect(status.json.worktrees.find((w) => w.name === 's-3')).toMatchObject({
        parent: 's-2',
      });
      const text = await runIn(['status', '--no-conflicts'], { cwd: repo.main });
      expect(text.stdout).toContain('Stack parts without a worktree');
      expect(text.stdout).toMatch(/s-2 \(on s-1\) +\+1 -1 +\d+/);
      expect(text.stdout).toMatch(/s-1 \(on origin\/main\) +\+2 -0 +\d+/);
    },
  );

  it(
    'skips a part with uncommitted work, as any sync does, and leaves its files alone',
    HEAVY,
    async () => {
      const repo = templates.small();
      const { json } = await runJsonIn<SplitData>(
        ['split', '--apply', '--worktrees', '--name', 's'],
        {
          cwd: repo.main,
        },
      );
      const two = json.applied!.parts[1]!.worktree!.path;
      await squashMerge(repo, 's-1');
      const file = path.join(two, json.parts[1]!.files[0]!.path);
      writeFileSync(file, 'work in progress\n');
      const before = await git(two, 'rev-parse', 'HEAD');
      const sync = await runJsonIn<{ results: SyncJsonResult[] }>(['sync', 's-2'], {
        cwd: repo.main,
      });
      expect(sync.exitCode).toBe(1);
      expect(sync.json.results[0]).toMatchObject({ status: 'skipped', skip: 'dirty' });
      expect(await git(two, 'rev-parse', 'HEAD')).toBe(before);
      expect(await git(repo.main, 'config', 'branch.s-2.tmcOrchParent')).toBe('s-1');
    },
  );
});
