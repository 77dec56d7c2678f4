import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { configure } from '../helpers/hooks.js';
import { makeRepo } from '../helpers/repo.js';
import { processAlive, waitFor } from '../helpers/wait.js';

// Spawned: an interruption is a signal to the real process.
const NODE = process.execPath;

describe('gate, interrupted', () => {
  it(
    'stops the whole gate on Ctrl-C, a command that ignores SIGTERM and its children too',
    { timeout: 120_000 },
    async () => {
      const repo = await makeRepo();
      // A gate and its child that both ignore SIGTERM, as a badly behaved test runner might.
      const stubborn = `process.on('SIGTERM', () => {});
const c = require('child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
require('fs').writeFileSync('gate.pids', process.pid + ' ' + c.pid); setInterval(() => {}, 1000);`;
      configure(repo, {
        plan: {
          agents: [{ id: 'agent-1', worktree: 'main' }],
          gates: [{ name: 'stubborn', run: [NODE, '-e', stubborn], timeout: '10m' }],
        },
      });
      const pidFile = path.join(repo.main, 'gate.pids');
      const child = execa(NODE, [BIN, 'gate'], {
        cwd: repo.main,
        env: { TMC_AGENT: 'agent-test' },
        reject: false,
      });
      await waitFor(
        () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').includes(' '),
        'the gate',
      );
      const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
      child.kill('SIGINT');
      const result = await child;
      expect(result.signal ?? result.exitCode).toSatisfy(
        (code: unknown) => code === 'SIGINT' || code === 130,
      );
      try {
        await waitFor(
          () => pids.every((pid) => !processAlive(pid)),
          `the gate's processes to end`,
          15_000,
        );
      } finally {
        for (const pid of pids.filter(processAlive)) process.kill(pid, 'SIGKILL');
      }
    },
  );

  it(
    'records no verdict for a gate that ends because Ctrl-C stopped it',
    { timeout: 120_000 },
    async () => {
      const repo = await makeRepo();
      // A well-behaved gate: SIGTERM ends it at once, as it should.
      const slow = `require('fs').writeFileSync('gate.started', ''); setInterval(() => {}, 1000);`;
      configure(repo, {
        plan: {
          agents: [{ id: 'agent-1', worktree: 'main' }],
          gates: [{ name: 'slow', run: [NODE, '-e', slow], timeout: '10m' }],
        },
      });
      const child = execa(NODE, [BIN, 'gate'], {
        cwd: repo.main,
        env: { TMC_AGENT: 'agent-test' },
        reject: false,
      });
      await waitFor(() => existsSync(path.join(repo.main, 'gate.started')), 'the gate');
      child.kill('SIGINT');
      const result = await child;
      expect(result.signal ?? result.exitCode).toSatisfy(
        (code: unknown) => code === 'SIGINT' || code === 130,
      );
      expect(String(result.stdout)).not.toMatch(/failed/);
      const records = await execa('find', [repo.root, '-name', 'last-run.json']);
      expect(records.stdout).toBe('');
      const plan = await execa(NODE, [BIN, 'plan'], { cwd: repo.main, reject: false });
      expect(String(plan.stdout)).not.toMatch(/failed/);
    },
  );
});
