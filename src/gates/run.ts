import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Options } from 'execa';
import { withoutRepositoryEnv } from '../git/run.js';
import { loadExeca } from '../util/external.js';
import { showCommand } from '../ui/format.js';
import type { PlanGate } from '../plan/schema.js';
import type { GateOutcome, GateResult } from './record.js';

/**
 * Runs one gate: its argument array, without a shell, in the worktree, stdin closed, stdout and
 * stderr into its log file. The command leads a process group of its own, so a timeout (or our
 * own interruption) stops everything it started, not just the first process: a `make` whose
 * `go test` kept running would hold the worktree's build outputs.
 */

/** A `timeout` stops the group with SIGTERM, then SIGKILL after this long. */
const KILL_AFTER_MS = 2000;

/** Groups of running gates, stopped when this process is interrupted. */
const running = new Set<number>();
let handlersInstalled = false;
/** Interrupted: no gate starts any more, the running ones are being stopped. */
let stopping: NodeJS.Signals | null = null;

/**
 * Stops every running gate's group, then dies of `signal` as if no handler were installed (exit
 * code 128 + n, as shells expect). SIGTERM first; a group still there after KILL_AFTER_MS (a
 * command that ignores SIGTERM, or its children) gets SIGKILL, as a timeout does: nothing of a
 * gate outlives the run. A second signal meanwhile kills at once.
 */
function stopAll(signal: NodeJS.Signals): void {
  if (stopping !== null) {
    finish(signal);
    return;
  }
  stopping = signal;
  for (const pid of running) killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + KILL_AFTER_MS;
  const poll = setInterval(() => {
    // A gate whose leader exited is dropped from `running` (and its group killed) by runGate.
    const left = [...running].filter(groupAlive);
    if (left.length > 0 && Date.now() < deadline) return;
    clearInterval(poll);
    finish(signal);
  }, 50);
}

function finish(signal: NodeJS.Signals): never {
  for (const pid of running) killGroup(pid, 'SIGKILL');
  process.removeListener('SIGINT', onSigint);
  process.removeListener('SIGTERM', onSigterm);
  process.kill(process.pid, signal);
  // Should the signal not end the process at once, exit as it would have.
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}
const onSigint = () => stopAll('SIGINT');
const onSigterm = () => stopAll('SIGTERM');

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
}

/** Whether any process of the group `pid` leads is still there. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

export interface GateRun {
  gate: PlanGate;
  cwd: string;
  log: string;
  timeoutMs: number;
}

export async function runGate(job: GateRun): Promise<GateResult> {
  const { gate, cwd, log, timeoutMs } = job;
  const { execa } = await loadExeca();
  // Interrupted: the process is about to die of the signal; start nothing more, and leave the
  // gate's last log as it was.
  if (stopping !== null) return new Promise<never>(() => undefined);
  const [program = '', ...args] = gate.run;
  const started = Date.now();
  mkdirSync(path.dirname(log), { recursive: true });
  const fd = openSync(log, 'w');
  const done = (outcome: GateOutcome): GateResult => {
    const durationMs = Date.now() - started;
    try {
      writeSync(fd, `\n--- ${describeOutcome(outcome)} after ${formatSeconds(durationMs)}\n`);
    } finally {
      closeSync(fd);
    }
    return { ...outcome, gate: gate.name, run: [...gate.run], log, durationMs };
  };
  writeSync(fd, `$ ${showCommand(gate.run)}\n# in ${cwd}, ${new Date(started).toISOString()}\n\n`);
  installHandlers();
  const subprocess = execa(program, args, {
    cwd,
    // Without git's per-repository variables, which a hook sets for the pushing worktree.
    env: withoutRepositoryEnv(process.env),
    extendEnv: false,
    reject: false,
    // A file descriptor of ours for both streams: the output is in the log as it comes, in order.
    // execa passes an integer on to child_process.spawn, though its types admit only 3 to 9.
    stdin: 'ignore',
    stdout: fd,
    stderr: fd,
    detached: true,
  } as Options);
  const pid = subprocess.pid;
  if (pid !== undefined) running.add(pid);
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    if (pid === undefined) return;
    killGroup(pid, 'SIGTERM');
    killer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_AFTER_MS);
  }, timeoutMs);
  const result = await subprocess;
  clearTimeout(timer);
  clearTimeout(killer);
  if (pid !== undefined) {
    running.delete(pid);
    // Whatever the command left running in its group goes with it.
    killGroup(pid, 'SIGKILL');
  }
  if (stopping !== null) {
    // Interrupted: the gate ended because we stopped it, which is no verdict on it. Nothing is
    // recorded or shown; the process dies of the signal (stopAll), as with the other gates.
    try {
      writeSync(fd, `\n--- stopped (${stopping})\n`);
    } finally {
      closeSync(fd);
    }
    return new Promise<never>(() => undefined);
  }
  if (timedOut) return done({ status: 'timed-out', timeoutMs });
  const code = (result as { code?: string }).code;
  if (result.exitCode === undefined && code === 'ENOENT') {
    return done({ status: 'not-found', program });
  }
  if (result.exitCode === undefined && !result.signal) {
    const cause = result.cause instanceof Error ? result.cause.message : String(result.cause ?? '');
    return done({ status: 'error', message: cause || (result.shortMessage ?? 'unknown error') });
  }
  if (result.exitCode === 0) return done({ status: 'passed', exitCode: 0 });
  return done({
    status: 'failed',
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
  });
}

export function describeOutcome(outcome: GateOutcome): string {
  switch (outcome.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return outcome.signal ? `failed (${outcome.signal})` : `failed (exit ${outcome.exitCode})`;
    case 'timed-out':
      return `timed out (${formatSeconds(outcome.timeoutMs)})`;
    case 'not-found':
      return `not found: ${outcome.program}`;
    case 'error':
      return `could not start: ${outcome.message}`;
  }
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** An argument as a shell user would type it: for the log's first line only, never run. */
