import path from 'node:path';
import { UsageError } from '../errors.js';
import {
  defaultGateConcurrency,
  runGates,
  type GateEvent,
  type WorktreeGates,
} from '../gates/gates.js';
import { describeOutcome, formatSeconds } from '../gates/run.js';
import { gateTargets } from '../gates/targets.js';
import { requirePlan } from '../plan/require.js';
import type { Output } from '../ui/output.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface GateInput {
  worktrees: string[];
  all: boolean;
  /** Overrides every gate's own timeout. */
  timeoutMs?: number;
  concurrency?: number;
}

export interface GateReport {
  passed: boolean;
  worktrees: WorktreeGates[];
}

export async function run(
  input: GateInput,
  ctx: CommandContext,
): Promise<CommandResult<GateReport>> {
  const { timeoutMs } = input;
  const concurrency = input.concurrency ?? defaultGateConcurrency();
  const repo = await ctx.repo();
  const plan = requirePlan(repo);
  if (plan.gates.length === 0) {
    throw new UsageError(
      `the plan has no gates; add them under plan.gates in ${repo.configFile ?? '.tmc-orch.json'}, e.g. {"name": "lint", "run": ["make", "lint"]}`,
    );
  }
  const targets = await gateTargets(repo, input.worktrees, input.all);
  const total = targets.length * plan.gates.length;
  const progress = ctx.out.progress(`running ${total} gates in ${targets.length} worktrees…`);
  const running = new Set<string>();
  let done = 0;
  const onEvent = (event: GateEvent) => {
    if (event.kind === 'start') {
      running.add(`${event.gate} in ${event.worktree}`);
      progress.update(`${done}/${total} gates done; running ${[...running].join(', ')}`);
      return;
    }
    const { result } = event;
    running.delete(`${result.gate} in ${event.worktree}`);
    done++;
    progress.update(
      `${event.worktree}: ${result.gate} ${describeOutcome(result)}; ${done}/${total} gates done`,
    );
  };
  let worktrees: WorktreeGates[];
  try {
    worktrees = await runGates(targets, plan.gates, {
      sharedDir: repo.sharedDir,
      concurrency,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      onEvent,
    });
  } finally {
    progress.stop();
  }
  const passed = worktrees.every((w) => w.passed);
  return {
    exitCode: passed ? 0 : 1,
    data: { passed, worktrees },
    render: (out) => render(worktrees, out, ctx.cwd),
  };
}

async function render(worktrees: readonly WorktreeGates[], out: Output, cwd: string) {
  const { color } = out;
  const rel = (p: string) => path.relative(cwd, p) || '.';
  const rows = worktrees.flatMap((w) =>
    w.status === 'ran' ? w.record.gates.map((g) => ({ worktree: w.worktree, gate: g })) : [],
  );
  await out.table(rows, [
    { header: 'WORKTREE', value: (r) => r.worktree },
    { header: 'GATE', value: (r) => r.gate.gate },
    {
      header: 'RESULT',
      value: (r) =>
        r.gate.status === 'passed'
          ? color.green('passed')
          : color.red(`✗ ${describeOutcome(r.gate)}`),
    },
    { header: 'TIME', value: (r) => formatSeconds(r.gate.durationMs), align: 'right' },
    { header: 'LOG', value: (r) => rel(r.gate.log), shrink: true },
  ]);
  for (const w of worktrees) {
    if (w.status === 'busy') {
      out.line(
        color.red(
          `✗ ${w.worktree}: skipped, its gates are already running (another tmc-orch gate)`,
        ),
      );
    }
  }
  const failed = rows.filter((r) => r.gate.status !== 'passed').length;
  const busy = worktrees.filter((w) => w.status === 'busy').length;
  out.line();
  if (failed === 0 && busy === 0) out.line(color.green(`all ${rows.length} gates passed`));
  else {
    const parts = [`${rows.length - failed} passed`, `${failed} failed`];
    if (busy > 0) parts.push(`${busy} worktrees skipped`);
    out.line(color.red(parts.join(', ')));
  }
}
