import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/commands/gate.js';
import type { PlanReport } from '../../src/plan/live.js';
import { commitFiles, makeRepo, type TestRepo } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';
import { processAlive } from '../helpers/wait.js';

const NODE = process.execPath;

type Gate = { name: string; run: string[]; prePush?: boolean; timeout?: string };

async function repoWithGates(gates: Gate[]): Promise<TestRepo> {
  const repo = await makeRepo();
  writeFileSync(
    path.join(repo.main, '.tmc-orch.json'),
    JSON.stringify({
      plan: {
        agents: [
          { id: 'agent-1', worktree: 'w1' },
          { id: 'agent-2', worktree: 'w2' },
        ],
        gates,
      },
    }),
  );
  for (const name of ['w1', 'w2']) {
    const add = await runIn(['worktree', 'add', name], { cwd: repo.main });
    expect(add.exitCode, add.stderr).toBe(0);
  }
  return repo;
}

describe('gate', () => {
  it(
    'passes when every gate passes, keeps each output in its log, and the plan shows the verdict',
    { timeout: 180_000 },
    async () => {
      const repo = await repoWithGates([
        { name: 'lint', run: [NODE, '-e', 'console.log("lint is fine")'] },
        // An argument array, never a shell: "$HOME; echo hi" arrives as it is written.
        { name: 'args', run: [NODE, '-e', 'console.log(process.argv[1])', '$HOME; echo hi'] },
      ]);
      const w1 = path.join(repo.worktreeRoot, 'w1');
      const result = await runJsonIn<GateReport>(['gate'], { cwd: w1 });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.json.passed).toBe(true);
      const [only] = result.json.worktrees;
      expect(only).toMatchObject({ worktree: 'w1', status: 'ran', passed: true });
      if (only?.status !== 'ran') throw new Error('not run');
      expect(only.record.gates.map((g) => [g.gate, g.status])).toEqual([
        ['lint', 'passed'],
        ['args', 'passed'],
      ]);
      const logs = only.record.gates.map((g) => g.log);
      expect(logs[0]).toBe(path.join(repo.sharedDir, 'gates', 'w1', 'lint.log'));
      expect(readFileSync(logs[0] as string, 'utf8')).toContain('lint is fine');
      expect(readFileSync(logs[1] as string, 'utf8')).toContain('\n$HOME; echo hi\n');

      const plan = await runJsonIn<PlanReport>(['plan'], { cwd: repo.main });
      const verdicts = Object.fromEntries(plan.json.rows.map((r) => [r.worktree, r.live.gates]));
      expect(verdicts.w1).toMatchObject({ status: 'passed', dirty: false });
      expect(verdicts.w2).toEqual({ status: 'not-run' });
      // A new commit is not what the gates judged.
      await commitFiles(w1, { 'x.txt': 'x\n' }, 'more');
      const later = await runJsonIn<PlanReport>(['plan'], { cwd: repo.main });
      expect(later.json.rows.find((r) => r.worktree === 'w1')?.live.gates.status).toBe('stale');
    },
  );

  it(
    'fails on a failing gate, a hanging one (timeout, its processes stopped) and a missing program',
    { timeout: 180_000 },
    async () => {
      const repo = await repoWithGates([
        { name: 'ok', run: [NODE, '-e', 'console.log("ok")'] },
        { name: 'fails', run: [NODE, '-e', 'console.error("3 lint errors"); process.exit(3)'] },
        {
          name: 'hangs',
          run: [
            NODE,
            '-e',
            // A child of the gate that would outlive it, as `go test` under `make` would.
            `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
           require('fs').writeFileSync('hang.pid', String(c.pid)); setInterval(() => {}, 1000);`,
          ],
          timeout: '2s',
        },
        { name: 'missing', run: ['tmc-orch-no-such-program'] },
      ]);
      const started = Date.now();
      const result = await runJsonIn<GateReport>(['gate', '--all'], { cwd: repo.main });
      expect(result.exitCode, result.stderr).toBe(1);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(result.json.passed).toBe(false);
      expect(result.json.worktrees.map((w) => w.worktree)).toEqual(['main', 'w1', 'w2']);
      for (const w of result.json.worktrees) {
        if (w.status !== 'ran') throw new Error(`${w.worktree} not run`);
        expect(w.record.gates.map((g) => g.status)).toEqual([
          'passed',
          'failed',
          'timed-out',
          'not-found',
        ]);
        expect(w.record.gates[1]).toMatchObject({ exitCode: 3 });
        expect(readFileSync(w.record.gates[1]?.log as string, 'utf8')).toContain('3 lint errors');
        const pid = Number(readFileSync(path.join(w.path, 'hang.pid'), 'utf8'));
        expect(processAlive(pid), `the hanging gate's child ${pid} was stopped`).toBe(false);
      }
      const human = await runIn(['gate', 'w1'], { cwd: repo.main });
      expect(human.exitCode).toBe(1);
      expect(human.stdout).toMatch(/w1\s+fails\s+✗ failed \(exit 3\)/);
      expect(human.stdout).toMatch(/w1\s+hangs\s+✗ timed out \(2\.0 s\)/);
      expect(human.stdout).toMatch(/w1\s+missing\s+✗ not found: tmc-orch-no-such-program/);
      expect(human.stdout).toContain(path.join('gates', 'w1', 'fails.log'));
    },
  );

  it(
    'refuses bad input with exit 2: no gates, an unknown worktree, a bad timeout',
    { timeout: 180_000 },
    async () => {
      const repo = await repoWithGates([]);
      const none = await runIn(['gate'], { cwd: repo.main });
      expect(none.exitCode).toBe(2);
      expect(none.stderr).toContain('the plan has no gates');
      writeFileSync(
        path.join(repo.main, '.tmc-orch.json'),
        JSON.stringify({
          plan: { agents: [{ id: 'a', worktree: 'w1' }], gates: [{ name: 'x', run: [NODE] }] },
        }),
      );
      expect((await runIn(['gate', 'nope'], { cwd: repo.main })).exitCode).toBe(2);
      expect((await runIn(['gate', '--timeout', 'soon'], { cwd: repo.main })).exitCode).toBe(2);
      expect((await runIn(['gate', 'w1', '--all'], { cwd: repo.main })).exitCode).toBe(2);
      expect(existsSync(path.join(repo.sharedDir, 'gates'))).toBe(false);
    },
  );
});
