import { describeVerdict } from '../gates/record.js';
import { gatherPlan, type PlanReport } from '../plan/live.js';
import { requirePlan } from '../plan/require.js';
import type { Plan } from '../plan/schema.js';
import type { PlanRow, StreamStatus } from '../plan/view.js';
import type { Repo } from '../repo.js';
import type { Output } from '../ui/output.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(
  _input: Record<string, never>,
  ctx: CommandContext,
): Promise<CommandResult<PlanReport>> {
  const repo = await ctx.repo();
  const plan = requirePlan(repo);
  const progress = ctx.out.progress('reading worktrees…');
  let report: PlanReport;
  try {
    report = await gatherPlan(repo, plan, {
      now: ctx.now(),
      onProgress: (step) => progress.update(step),
    });
  } finally {
    progress.stop();
  }
  return { exitCode: 0, data: report, render: (out) => render(report, plan, repo, out) };
}

async function render(report: PlanReport, plan: Plan, repo: Repo, out: Output): Promise<void> {
  const { color } = out;
  for (const warning of report.warnings) out.warn(warning);
  const limit = repo.config.lines.limit;
  await out.table(report.rows, [
    { header: 'PRIORITY', value: (r) => priorityCell(r, color) },
    { header: 'AGENT', value: (r) => r.agent },
    {
      header: 'WORKTREE',
      value: (r) =>
        r.main
          ? `${r.worktree} ${color.dim('(main)')}`
          : r.live.exists
            ? r.worktree
            : r.live.merged
              ? `${r.worktree} ${color.dim('(removed)')}`
              : `${r.worktree} ${color.yellow('(not created)')}`,
    },
    { header: 'CLAIM', value: (r) => claimCell(r, color) },
    {
      header: `±${report.base}`,
      value: (r) => (r.live.ahead === null ? '-' : `+${r.live.ahead} -${r.live.behind ?? 0}`),
      align: 'right',
    },
    {
      header: 'LINES',
      value: (r) =>
        r.live.lines === null
          ? '-'
          : r.live.withinLimit
            ? String(r.live.lines)
            : color.red(`✗ ${r.live.lines} ≥ ${limit}`),
      align: 'right',
    },
    ...(plan.gates.length > 0
      ? [{ header: 'GATES', value: (r: PlanRow) => gatesCell(r, color) }]
      : []),
    { header: 'MERGED', value: (r) => mergedCell(r, color) },
    { header: 'STREAM', value: (r) => r.streams.join(', ') || '-' },
    {
      header: 'BLOCKED BY',
      value: (r) => (r.blockedBy.length > 0 ? color.red(r.blockedBy.join(', ')) : '-'),
    },
    { header: 'FOCUS', value: (r) => r.focus || '-', shrink: true },
  ]);
  if (report.streams.length > 0) {
    out.line();
    out.line(color.bold('Streams'));
    for (const stream of report.streams) out.line(`  ${streamLine(stream, color)}`);
  }
}

type Palette = Output['color'];

function priorityCell(r: PlanRow, color: Palette): string {
  if (r.priority === 'critical') return color.red(r.priority);
  if (r.priority === 'high') return color.yellow(r.priority);
  return r.priority;
}

function claimCell(r: PlanRow, color: Palette): string {
  switch (r.claim.state) {
    case 'free':
      return color.dim('free');
    case 'planned-agent':
      return color.green(r.claim.agent);
    case 'other-agent':
      // Said in words too: colour alone is lost with NO_COLOR or a pipe.
      return color.yellow(`${r.claim.agent} (not ${r.agent})`);
  }
}

function gatesCell(r: PlanRow, color: Palette): string {
  if (!r.live.exists) return '-';
  const text = describeVerdict(r.live.gates);
  const status = r.live.gates.status;
  if (status === 'passed') return color.green(text);
  if (status === 'failed') return color.red(`✗ ${text}`);
  return color.dim(text);
}

function mergedCell(r: PlanRow, color: Palette): string {
  if (r.main) return '-';
  if (!r.live.merged) return r.live.exists ? 'no' : '-';
  const how = r.live.mergedHow && r.live.mergedHow !== 'merge' ? ` (${r.live.mergedHow})` : '';
  return color.green(`yes${how}`);
}

/** "stream-2 Foundation Corrections: waits for stream-1; not merged: a, b". */
export function streamLine(stream: StreamStatus, color: Palette): string {
  const title = stream.title ? ` ${stream.title}` : '';
  if (stream.finished) return `${stream.id}${title}: ${color.green('finished')}`;
  const parts: string[] = [];
  if (stream.blockedBy.length > 0) {
    parts.push(color.red(`waits for ${stream.blockedBy.join(', ')}`));
  }
  parts.push(`not merged: ${stream.unmerged.join(', ')}`);
  return `${stream.id}${title}: ${parts.join('; ')}`;
}
