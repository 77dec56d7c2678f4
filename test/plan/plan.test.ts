import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanReport } from '../../src/plan/live.js';
import { commitFiles, git, makeRepo, tempDir, type TestRepo } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';

const EXAMPLE = path.resolve(import.meta.dirname, '../fixtures/orchestration-plan.md');

function config(repo: TestRepo): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(repo.main, '.tmc-orch.json'), 'utf8')) as Record<
    string,
    unknown
  >;
}

function writeConfig(repo: TestRepo, value: unknown): void {
  writeFileSync(path.join(repo.main, '.tmc-orch.json'), `${JSON.stringify(value, null, 2)}\n`);
}

describe('plan import', () => {
  it('imports the example plan whole into the config and prints what it read and could not use', async () => {
    const repo = await makeRepo();
    writeConfig(repo, { base: 'main', lines: { limit: 500, target: 400 } });
    const result = await runIn(['plan', 'import', EXAMPLE], { cwd: repo.main });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('line 87: agent-1 works in 03a-foundation');
    expect(result.stdout).toContain('stream-3 depends on stream-1, stream-2');
    expect(result.stdout).toMatch(/could not use \d+ lines:/);
    expect(result.stdout).toContain('line 150:');
    expect(result.stdout).toContain('a quality gate in prose');
    const written = config(repo) as {
      lines: unknown;
      plan: { agents: { id: string }[]; streams: { id: string; dependsOn: string[] }[] };
    };
    // The other keys stay as they were.
    expect(written.lines).toEqual({ limit: 500, target: 400 });
    expect(written.plan.agents).toHaveLength(8);
    expect(written.plan.streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['stream-1', []],
      ['stream-2', ['stream-1']],
      ['stream-3', ['stream-1', 'stream-2']],
    ]);
  });

  it('writes nothing with --dry-run, and says what it would write as one JSON document', async () => {
    const repo = await makeRepo();
    const result = await runJsonIn<{ dryRun: boolean; written: boolean; plan: { agents: [] } }>(
      ['plan', 'import', '--dry-run', EXAMPLE],
      { cwd: repo.main },
    );
    expect(result.exitCode).toBe(0);
    expect(result.json).toMatchObject({ dryRun: true, written: false });
    expect(result.json.plan.agents).toHaveLength(8);
    expect(existsSync(path.join(repo.main, '.tmc-orch.json'))).toBe(false);
  });

  it('keeps the gates of the plan it replaces', async () => {
    const repo = await makeRepo();
    const gates = [{ name: 'lint', run: ['make', 'lint'], prePush: true }];
    writeConfig(repo, {
      plan: { agents: [{ id: 'agent-1', worktree: 'old' }], gates },
    });
    const result = await runJsonIn<{ replaced: boolean; keptGates: number }>(
      ['plan', 'import', EXAMPLE],
      { cwd: repo.main },
    );
    expect(result.json).toMatchObject({ replaced: true, keptGates: 1 });
    expect((config(repo).plan as { gates: unknown[] }).gates).toEqual([gates[0]]);
  });

  it('refuses a plan whose stream names an unknown agent, writing nothing (exit 2)', async () => {
    const repo = await makeRepo();
    const file = path.join(tempDir(), 'plan.md');
    writeFileSync(
      file,
      [
        '| Agent | Worktree |',
        '|---|---|',
        '| Agent 1 | `w1` |',
        '',
        '#### Stream 1: fixes',
        '- **Agent 1**: fix',
        '- **Agent 9**: ghost',
        '',
      ].join('\n'),
    );
    const result = await runIn(['plan', 'import', file], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('streams.0.agents.1: unknown agent "agent-9"');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo.main, '.tmc-orch.json'))).toBe(false);
  });

  it('refuses a file without an agent table and a missing file (exit 2)', async () => {
    const repo = await makeRepo();
    const file = path.join(tempDir(), 'notes.md');
    writeFileSync(file, '# Notes\n\nNothing here.\n');
    const empty = await runIn(['plan', 'import', file], { cwd: repo.main });
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('has no agent table');
    const missing = await runIn(['plan', 'import', 'nope.md'], { cwd: repo.main });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('plan in the config', () => {
  it.each([
    [
      'a dependency cycle',
      {
        agents: [
          { id: 'agent-1', worktree: 'w1' },
          { id: 'agent-2', worktree: 'w2' },
        ],
        streams: [
          { id: 's1', agents: ['agent-1'], dependsOn: ['s2'] },
          { id: 's2', agents: ['agent-2'], dependsOn: ['s1'] },
        ],
      },
      'plan.streams.0.dependsOn: dependency cycle s1 → s2 → s1',
    ],
    [
      'a duplicate agent id',
      {
        agents: [
          { id: 'agent-1', worktree: 'w1' },
          { id: 'agent-1', worktree: 'w2' },
        ],
      },
      'plan.agents.1.id: duplicate agent id "agent-1"',
    ],
    [
      'an unknown worktree',
      {
        agents: [{ id: 'agent-1', worktree: 'w1' }],
        streams: [{ id: 's1', worktrees: ['w9'] }],
      },
      'plan.streams.0.worktrees.0: unknown worktree "w9"',
    ],
  ])('is refused with %s, exit 2 naming it', async (_what, plan, message) => {
    const repo = await makeRepo();
    writeConfig(repo, { plan });
    const result = await runIn(['plan'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('.tmc-orch.json');
  });

  it('says how to import a plan when there is none (exit 2)', async () => {
    const repo = await makeRepo();
    const result = await runIn(['plan'], { cwd: repo.main });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('tmc-orch plan import <file.md>');
  });
});

describe('plan joined with live state', () => {
  it(
    'tells merged branches (merge, fast-forward, squash, rebase) from unmerged and unstarted ones',
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo({ remote: true });
      const cwd = repo.main;
      const agents = ['merge', 'ff', 'squash', 'rebase', 'open', 'fresh'].map((w, i) => ({
        id: `agent-${i + 1}`,
        worktree: `wt-${w}`,
        priority: i === 4 ? 'critical' : 'medium',
      }));
      writeConfig(repo, {
        plan: {
          agents,
          streams: [
            { id: 'stream-1', agents: ['agent-1', 'agent-2', 'agent-3', 'agent-4'] },
            { id: 'stream-2', agents: ['agent-5'], dependsOn: ['stream-1'] },
            { id: 'stream-3', agents: ['agent-6'], dependsOn: ['stream-2'] },
          ],
        },
      });
      await git(cwd, 'add', '.tmc-orch.json');
      await git(cwd, 'commit', '-q', '-m', 'plan');
      await git(cwd, 'push', '-q', 'origin', 'main');
      const wt = (name: string) => path.join(repo.worktreeRoot, name);
      // Plain git, as `worktree add` does it: the branch created from the base, with its reflog.
      for (const a of agents) {
        await git(cwd, 'worktree', 'add', '-q', '-b', a.worktree, wt(a.worktree), 'origin/main');
      }
      await commitFiles(wt('wt-merge'), { 'merge.txt': 'a\n' }, 'merge 1');
      await commitFiles(wt('wt-ff'), { 'ff.txt': 'a\n' }, 'ff 1');
      await commitFiles(wt('wt-squash'), { 'squash.txt': 'a\n' }, 'squash 1');
      await commitFiles(wt('wt-squash'), { 'squash.txt': 'a\nb\n' }, 'squash 2');
      await commitFiles(wt('wt-rebase'), { 'rebase-1.txt': 'a\n' }, 'rebase 1');
      await commitFiles(wt('wt-rebase'), { 'rebase-2.txt': 'b\n' }, 'rebase 2');
      await commitFiles(wt('wt-open'), { 'open.txt': 'a\n' }, 'open 1');

      await git(cwd, 'merge', '-q', '--ff-only', 'wt-ff');
      await git(cwd, 'merge', '-q', '--no-ff', '-m', 'merge wt-merge', 'wt-merge');
      await git(cwd, 'merge', '-q', '--squash', 'wt-squash');
      await git(cwd, 'commit', '-q', '-m', 'squashed wt-squash');
      // A rebase merge: each commit replayed, so no single commit has the whole branch's patch.
      await git(cwd, 'cherry-pick', 'wt-rebase~1', 'wt-rebase');
      await git(cwd, 'push', '-q', 'origin', 'main');

      const result = await runJsonIn<PlanReport>(['plan'], { cwd });
      expect(result.exitCode, result.stderr).toBe(0);
      const rows = Object.fromEntries(result.json.rows.map((r) => [r.worktree, r]));
      const merged = (name: string) => [rows[name]?.live.merged, rows[name]?.live.mergedHow];
      expect(merged('wt-merge')).toEqual([true, 'merge']);
      expect(merged('wt-ff')).toEqual([true, 'merge']);
      expect(merged('wt-squash')).toEqual([true, 'squash']);
      expect(merged('wt-rebase')).toEqual([true, 'content']);
      expect(merged('wt-open')).toEqual([false, null]);
      // Created from the base and never committed on: its tip is in the base, its work is not.
      expect(merged('wt-fresh')).toEqual([false, null]);

      expect(result.json.streams.map((s) => [s.id, s.finished, s.blockedBy])).toEqual([
        ['stream-1', true, []],
        ['stream-2', false, []],
        ['stream-3', false, ['stream-2']],
      ]);
      expect(rows['wt-open']).toMatchObject({ blockedBy: [], priority: 'critical' });
      expect(rows['wt-open']?.live).toMatchObject({ ahead: 1, lines: 1, withinLimit: true });
      expect(rows['wt-fresh']?.blockedBy).toEqual(['stream-2']);
      // Most urgent first.
      expect(result.json.rows[0]?.agent).toBe('agent-5');

      const human = await runIn(['plan'], { cwd });
      expect(human.exitCode).toBe(0);
      expect(human.stdout).toMatch(/agent-3\s+wt-squash\s.*yes \(squash\)/);
      expect(human.stdout).toContain('stream-3: waits for stream-2; not merged: wt-fresh');
      expect(human.stdout).toContain('stream-1: finished');
    },
  );

  it(
    'shows who holds each planned worktree: the planned agent, another, or nobody',
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo();
      const cwd = repo.main;
      writeConfig(repo, {
        plan: {
          agents: [
            { id: 'agent-1', worktree: 'w1' },
            { id: 'agent-2', worktree: 'w2' },
            { id: 'agent-3', worktree: 'w3' },
            { id: 'agent-4', worktree: 'w4' },
          ],
        },
      });
      for (const name of ['w1', 'w2', 'w3']) await runIn(['worktree', 'add', name], { cwd });
      await runIn(['claim', 'w1'], { cwd, env: { TMC_AGENT: 'agent-1' } });
      await runIn(['claim', 'w2'], { cwd, env: { TMC_AGENT: 'agent-9' } });
      const result = await runJsonIn<PlanReport>(['plan'], { cwd });
      const claims = Object.fromEntries(result.json.rows.map((r) => [r.worktree, r.claim]));
      expect(claims).toEqual({
        w1: { state: 'planned-agent', agent: 'agent-1' },
        w2: { state: 'other-agent', agent: 'agent-9' },
        w3: { state: 'free' },
        w4: { state: 'free' },
      });
      const w4 = result.json.rows.find((r) => r.worktree === 'w4');
      expect(w4?.live.exists).toBe(false);
      const human = await runIn(['plan'], { cwd });
      expect(human.stdout).toContain('agent-9 (not agent-2)');
      expect(human.stdout).toContain('w4 (not created)');
    },
  );
});

describe('claim against the plan', () => {
  it(
    'refuses a blocked stream, lets --force through with a log entry, and clears once merged',
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo();
      const cwd = repo.main;
      writeConfig(repo, {
        plan: {
          agents: [
            { id: 'agent-1', worktree: 'w1' },
            { id: 'agent-2', worktree: 'w2' },
            { id: 'agent-3', worktree: 'w3' },
          ],
          streams: [
            { id: 'stream-1', title: 'fixes', agents: ['agent-1'] },
            { id: 'stream-2', agents: ['agent-2', 'agent-3'], dependsOn: ['stream-1'] },
          ],
        },
      });
      for (const name of ['w1', 'w2', 'w3']) await runIn(['worktree', 'add', name], { cwd });
      const as = (agent: string) => ({ cwd, env: { TMC_AGENT: agent } });

      const refused = await runIn(['claim', 'w2'], as('agent-2'));
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('stream-2 waits for stream-1 (fixes): w1 not merged');
      expect(refused.stderr).toContain('tmc-orch claim w2 --force');
      const refusedJson = await runJsonIn<{ error: { code: string } }>(
        ['claim', 'w2'],
        as('agent-2'),
      );
      expect(refusedJson.json.error.code).toBe('blocked');
      expect((await runJsonIn<{ claims: [] }>(['claims'], { cwd })).json.claims).toEqual([]);

      expect((await runIn(['claim', 'w1'], as('agent-1'))).exitCode).toBe(0);

      const forced = await runJsonIn<{
        action: string;
        plan: { status: string };
        warnings: string[];
      }>(['claim', 'w2', '--force'], as('agent-2'));
      expect(forced.exitCode, forced.stderr).toBe(0);
      expect(forced.json).toMatchObject({ action: 'claimed', plan: { status: 'blocked' } });
      const log = await runIn(['log', 'show'], { cwd });
      expect(log.stdout).toMatch(
        /agent-2 +w2 +claimed against the plan \(--force\): stream-2 waits for stream-1 \(fixes\): w1 not merged/,
      );
      // Renewing a claim one holds is not starting the work again.
      expect((await runIn(['claim', 'w2'], as('agent-2'))).exitCode).toBe(0);

      await commitFiles(path.join(repo.worktreeRoot, 'w1'), { 'fix.txt': 'fixed\n' }, 'fix');
      await git(cwd, 'merge', '-q', '--no-ff', '-m', 'merge w1', 'w1');
      const cleared = await runIn(['claim', 'w3'], as('agent-3'));
      expect(cleared.exitCode, cleared.stderr).toBe(0);
    },
  );
});

describe('a stream whose worktrees were removed once merged', () => {
  it(
    'stays finished after worktree clean and worktree remove, so the streams after it may start',
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo();
      const cwd = repo.main;
      writeConfig(repo, {
        plan: {
          agents: [
            { id: 'agent-1', worktree: 'w1' },
            { id: 'agent-2', worktree: 'w2' },
            { id: 'agent-3', worktree: 'w3' },
            { id: 'agent-4', worktree: 'w4' },
            { id: 'agent-5', worktree: 'w5' },
          ],
          streams: [
            { id: 'stream-1', agents: ['agent-1', 'agent-2', 'agent-4'] },
            { id: 'stream-2', agents: ['agent-3'], dependsOn: ['stream-1'] },
            { id: 'stream-3', agents: ['agent-5'] },
            { id: 'stream-4', agents: ['agent-3'], dependsOn: ['stream-3'] },
          ],
        },
      });
      await git(cwd, 'add', '.tmc-orch.json');
      await git(cwd, 'commit', '-q', '-m', 'plan');
      for (const name of ['w1', 'w2', 'w3', 'w4', 'w5']) {
        expect((await runIn(['worktree', 'add', name], { cwd })).exitCode).toBe(0);
      }
      const wt = (name: string) => path.join(repo.worktreeRoot, name);
      for (const name of ['w1', 'w2', 'w4']) {
        await commitFiles(wt(name), { [`${name}.txt`]: `${name}\n` }, `${name} work`);
      }
      await commitFiles(wt('w2'), { 'w2.txt': 'w2, more\n' }, 'w2 more work');
      await git(cwd, 'merge', '-q', '--no-ff', '-m', 'merge w1', 'w1');
      await git(cwd, 'merge', '-q', '--squash', 'w2');
      await git(cwd, 'commit', '-q', '-m', 'w2 squashed');
      await git(cwd, 'merge', '-q', '--no-ff', '-m', 'merge w4', 'w4');
      // w4 goes, its branch stays; w1 and w2 go with their branches; w5 (no work) goes too.
      expect((await runIn(['worktree', 'remove', 'w4'], { cwd })).exitCode).toBe(0);
      const clean = await runIn(['worktree', 'clean'], { cwd });
      expect(clean.exitCode, clean.stderr).toBe(0);
      expect(existsSync(wt('w1')) || existsSync(wt('w2'))).toBe(false);
      expect(await git(cwd, 'branch', '--list', 'w1', 'w2')).toBe('');
      const w5 = await runIn(['worktree', 'remove', '--delete-branch', 'w5'], { cwd });
      expect(w5.exitCode, w5.stderr).toBe(0);

      const plan = await runJsonIn<PlanReport>(['plan'], { cwd });
      expect(plan.exitCode, plan.stderr).toBe(0);
      const row = (name: string) => plan.json.rows.find((r) => r.worktree === name)?.live;
      expect(row('w1')).toMatchObject({ exists: false, merged: true, mergedHow: 'merge' });
      expect(row('w2')).toMatchObject({ exists: false, merged: true, mergedHow: 'squash' });
      expect(row('w4')).toMatchObject({ exists: false, merged: true });
      // A worktree removed before any work of its own landed nothing.
      expect(row('w5')).toMatchObject({ exists: false, merged: false });
      expect(plan.json.streams.map((s) => [s.id, s.finished])).toEqual([
        ['stream-1', true],
        ['stream-2', false],
        ['stream-3', false],
        ['stream-4', false],
      ]);
      expect(plan.json.rows.find((r) => r.worktree === 'w3')?.blockedBy).toEqual(['stream-3']);
      const claim = await runIn(['claim', 'w3'], { cwd, env: { TMC_AGENT: 'agent-3' } });
      expect(claim.exitCode).toBe(1);
      expect(claim.stderr).toContain('wait for stream-3: w5 not merged');
      expect(claim.stderr).not.toContain('stream-1');
      const human = await runIn(['plan'], { cwd });
      expect(human.stdout).toMatch(/w1 \(removed\)\s.*yes/);

      // Made again, with no work of its own yet, a landed worktree still counts as merged.
      expect((await runIn(['worktree', 'add', 'w1'], { cwd })).exitCode).toBe(0);
      const again = await runJsonIn<PlanReport>(['plan'], { cwd });
      expect(again.json.streams.find((s) => s.id === 'stream-1')?.finished).toBe(true);
    },
  );
});

describe('worktree add --from-plan', () => {
  it(
    'creates every planned worktree that does not exist yet, and only those',
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo();
      const cwd = repo.main;
      writeConfig(repo, {
        plan: {
          agents: [
            { id: 'agent-1', worktree: 'w1' },
            { id: 'agent-2', worktree: 'w2' },
            { id: 'agent-3', worktree: 'w3' },
            { id: 'agent-8', worktree: 'main' },
          ],
          streams: [{ id: 's1', agents: ['agent-1'], worktrees: ['w2'] }],
        },
      });
      expect((await runIn(['worktree', 'add', 'w1'], { cwd })).exitCode).toBe(0);
      const result = await runJsonIn<{ worktrees: { name: string; status: string }[] }>(
        ['worktree', 'add', '--from-plan'],
        { cwd },
      );
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.json.worktrees.map((w) => [w.name, w.status])).toEqual([
        ['w1', 'exists'],
        ['w2', 'created'],
        ['w3', 'created'],
      ]);
      expect(existsSync(path.join(repo.worktreeRoot, 'w3'))).toBe(true);
      const again = await runIn(['worktree', 'add', '--from-plan'], { cwd });
      expect(again.exitCode).toBe(0);
      expect(again.stdout).not.toContain('created');

      const both = await runIn(['worktree', 'add', 'w9', '--from-plan'], { cwd });
      expect(both.exitCode).toBe(2);
      const neither = await runIn(['worktree', 'add'], { cwd });
      expect(neither.exitCode).toBe(2);
      expect(neither.stderr).toContain('--from-plan');
    },
  );
});

describe('status with a plan', () => {
  it(
    "gains the plan's agent, priority and blocked columns, and only with a plan",
    { timeout: 180_000 },
    async () => {
      const repo = await makeRepo();
      const cwd = repo.main;
      for (const name of ['w1', 'w2']) await runIn(['worktree', 'add', name], { cwd });
      const without = await runIn(['status', '--no-conflicts'], { cwd });
      expect(without.stdout).not.toMatch(/\bAGENT\b/);

      writeConfig(repo, {
        plan: {
          agents: [
            { id: 'agent-1', worktree: 'w1', priority: 'critical' },
            { id: 'agent-2', worktree: 'w2', priority: 'low' },
          ],
          streams: [
            { id: 'stream-1', agents: ['agent-1'] },
            { id: 'stream-2', agents: ['agent-2'], dependsOn: ['stream-1'] },
          ],
        },
      });
      const human = await runIn(['status', '--no-conflicts'], { cwd });
      expect(human.exitCode, human.stderr).toBe(0);
      expect(human.stdout).toMatch(/AGENT\s+PRI\s+BLOCKED/);
      expect(human.stdout).toMatch(/w1\s+w1\s+-\s+agent-1\s+critical\s+-/);
      expect(human.stdout).toMatch(/w2\s+w2\s+-\s+agent-2\s+low\s+stream-1/);

      const json = await runJsonIn<{
        worktrees: { name: string; plan: { agents: string[]; blockedBy: string[] } | null }[];
        plan: { streams: { id: string; finished: boolean }[] };
      }>(['status', '--no-conflicts'], { cwd });
      const plans = Object.fromEntries(json.json.worktrees.map((w) => [w.name, w.plan]));
      expect(plans.w2).toMatchObject({
        agents: ['agent-2'],
        priority: 'low',
        blockedBy: ['stream-1'],
      });
      expect(plans.repo).toBeNull();
      expect(json.json.plan.streams.map((s) => s.id)).toEqual(['stream-1', 'stream-2']);
    },
  );
});
