import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dirtyCounts } from '../git/index.js';
import type { PlanGate } from '../plan/schema.js';
import { mapLimit } from '../util/concurrency.js';
import { durationMs } from '../util/duration.js';
import { tryLock } from '../util/lock.js';
import { gateDir, gateLog, writeGateRecord, type GateRecord, type GateResult } from './record.js';
import { runGate } from './run.js';

/**
 * `tmc-orch gate`: the plan's gates in several worktrees. Worktrees run in parallel, at most
 * `concurrency` at once; the gates of one worktree run one after another, since they share its
 * checkout (two builds in one folder race over its outputs). Every gate runs even after one has
 * failed, so a run reports every verdict. A worktree whose gates are already running (another
 * agent, another terminal) is skipped, not run twice over the same log files.
 */

/** A gate with no timeout of its own is stopped after this long. */
const DEFAULT_GATE_TIMEOUT_MS = 10 * 60_000;

export function defaultGateConcurrency(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export interface GateTarget {
  /** The plan's name for it: "main" for the main worktree. */
  name: string;
  path: string;
  head: string | null;
}

export type WorktreeGates =
  | { worktree: string; path: string; status: 'ran'; passed: boolean; record: GateRecord }
  | { worktree: string; path: string; status: 'busy'; passed: false };

export type GateEvent =
  | { kind: 'start'; worktree: string; gate: string }
  | { kind: 'done'; worktree: string; result: GateResult };

export interface GateRunOptions {
  sharedDir: string;
  concurrency: number;
  /** Overrides every gate's own timeout (--timeout). */
  timeoutMs?: number;
  onEvent?: (event: GateEvent) => void;
}

export async function runGates(
  targets: readonly GateTarget[],
  gates: readonly PlanGate[],
  options: GateRunOptions,
): Promise<WorktreeGates[]> {
  return mapLimit(targets, options.concurrency, (target) => runIn(target, gates, options));
}

async function runIn(
  target: GateTarget,
  gates: readonly PlanGate[],
  options: GateRunOptions,
): Promise<WorktreeGates> {
  const dir = gateDir(options.sharedDir, target.name);
  await mkdir(dir, { recursive: true });
  const release = await tryLock(path.join(dir, 'run.lock'));
  if (!release) return { worktree: target.name, path: target.path, status: 'busy', passed: false };
  try {
    const startedAt = new Date().toISOString();
    const dirty = await dirtyCounts(target.path)
      .then((c) => c.staged + c.unstaged + c.untracked + c.unmerged > 0)
      .catch(() => false);
    const results: GateResult[] = [];
    for (const gate of gates) {
      options.onEvent?.({ kind: 'start', worktree: target.name, gate: gate.name });
      const result = await runGate({
        gate,
        cwd: target.path,
        log: gateLog(options.sharedDir, target.name, gate.name),
        timeoutMs: options.timeoutMs ?? gateTimeout(gate),
      });
      results.push(result);
      options.onEvent?.({ kind: 'done', worktree: target.name, result });
    }
    const passed = results.every((r) => r.status === 'passed');
    const record: GateRecord = {
      v: 1,
      worktree: target.name,
      path: target.path,
      head: target.head,
      dirty,
      startedAt,
      finishedAt: new Date().toISOString(),
      passed,
      gates: results,
    };
    await writeGateRecord(options.sharedDir, record);
    return { worktree: target.name, path: target.path, status: 'ran', passed, record };
  } finally {
    await release();
  }
}

function gateTimeout(gate: PlanGate): number {
  return gate.timeout === undefined ? DEFAULT_GATE_TIMEOUT_MS : durationMs(gate.timeout);
}
