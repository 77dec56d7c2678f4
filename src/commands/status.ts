// Over 250 lines: the dashboard's one renderer; columns, cells and conflict lines read together,
// and the stack parts without a worktree below the table.
import { operationHint } from '../git/index.js';
import { watch } from '../ui/watch.js';
import { statusProviders } from '../status/providers.js';
import { StatusMemo } from '../status/memo.js';
import type { WorktreeStatus } from '../status/row.js';
import { gatherStatus, type StatusReport } from '../status/status.js';
import type { Repo } from '../repo.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import type { StatusPlan } from '../plan/status-columns.js';
import { countedList, formatAge, relativePath } from '../ui/format.js';
import type { Output } from '../ui/output.js';
import type { Column } from '../ui/table.js';

export interface StatusInput {
  fetch: boolean;
  /** false for --no-conflicts. */
  conflicts: boolean;
  /** --watch: refresh every intervalMs until interrupted; null for one status. */
  watch: { intervalMs: number } | null;
}

export async function run(input: StatusInput, ctx: CommandContext): Promise<CommandResult> {
  if (input.watch) {
    const repo = await ctx.repo();
    const interval = input.watch.intervalMs;
    // What one frame found that the next can use: answers keyed by commits.
    const memo = new StatusMemo();
    return {
      exitCode: 0,
      data: null,
      render: (out) =>
        watch({
          intervalMs: interval,
          title: `tmc-orch status${input.fetch ? ' --fetch' : ''}${input.conflicts ? '' : ' --no-conflicts'}`,
          out,
          now: ctx.now,
          frame: async (into) => {
            const { report, warnings, plan } = await gather(repo, input, null, ctx.now(), memo);
            await render(report, warnings, input, repo, into, plan);
          },
        }),
    };
  }
  const repo = await ctx.repo();
  const { report, warnings, plan } = await gather(repo, input, ctx.out, ctx.now());
  const data = plan
    ? {
        ...report,
        worktrees: report.worktrees.map((w) => ({ ...w, plan: plan.byPath.get(w.path) ?? null })),
        plan: { streams: plan.streams },
        warnings,
      }
    : { ...report, warnings };
  return {
    exitCode: 0,
    data,
    render: (out) => render(report, warnings, input, repo, out, plan),
  };
}

/** One status: the report and every warning, the fetch's and the providers'. */
async function gather(
  repo: Repo,
  input: StatusInput,
  out: Output | null,
  now: Date,
  memo?: StatusMemo,
): Promise<{ report: StatusReport; warnings: string[]; plan: StatusPlan | null }> {
  const progress = out?.progress(input.fetch ? 'fetching the base…' : 'reading worktrees…');
  const providers = await statusProviders(repo, now);
  let report;
  try {
    report = await gatherStatus(repo, {
      fetch: input.fetch,
      conflicts: input.conflicts,
      now,
      ...(memo ? { memo } : {}),
      ...providers,
      onProgress: (step) => progress?.update(step),
    });
    await providers.save();
  } finally {
    progress?.stop();
  }
  // What the fetch could not do, then what the providers could not read: both, in JSON too.
  const warnings = [...report.warnings, ...providers.warnings];
  // The plan's columns (issue 12), loaded only when there is a plan.
  const { plan: planConfig } = repo.config;
  const plan = planConfig
    ? await (
        await import('../plan/status-columns.js')
      ).statusPlan(repo, planConfig, report.worktrees, report.baseCommit)
    : null;
  return { report, warnings, plan };
}

/** AGENT, PRI and BLOCKED: who the plan gives each worktree to, and what it waits for. */
function planColumns(plan: StatusPlan | null, out: Output): Column<WorktreeStatus>[] {
  if (!plan) return [];
  const of = (w: WorktreeStatus) => plan.byPath.get(w.path);
  return [
    { header: 'AGENT', value: (w) => of(w)?.agents.join(', ') ?? '-' },
    { header: 'PRI', value: (w) => of(w)?.priority ?? '-' },
    {
      header: 'BLOCKED',
      value: (w) => {
        const blockedBy = of(w)?.blockedBy ?? [];
        return blockedBy.length > 0 ? out.color.red(blockedBy.join(', ')) : '-';
      },
    },
  ];
}

async function render(
  report: StatusReport,
  warnings: readonly string[],
  input: StatusInput,
  repo: Repo,
  out: Output,
  plan: StatusPlan | null,
): Promise<void> {
  const { color } = out;
  const limit = repo.config.lines.limit;
  await out.table(report.worktrees, [
    { header: 'NAME', value: (w) => (w.main ? `${w.name} ${color.dim('(main)')}` : w.name) },
    {
      header: 'BRANCH',
      // A part of a stack names the branch its PR is against (and its LINES are counted from).
      value: (w) =>
        w.branch === null
          ? color.yellow(w.head ? '(detached)' : '-')
          : w.parent !== null
            ? `${w.branch} ${color.dim(`(on ${w.parent})`)}`
            : w.goneParent !== null
              ? `${w.branch} ${color.dim(`(parent ${w.goneParent} gone)`)}`
              : w.branch,
    },
    { header: 'CLAIM', value: (w) => claimCell(w, color.dim) },
    ...planColumns(plan, out),
    {
      header: `±${report.base}`,
      value: (w) => (w.ahead === null ? '-' : `+${w.ahead} -${w.behind ?? 0}`),
      align: 'right',
    },
    { header: 'STATE', value: (w) => stateCell(w, color) },
    {
      header: 'LINES',
      // Over the limit says so in words too: red alone is lost with NO_COLOR or a pipe.
      value: (w) =>
        w.lines === null
          ? '-'
          : w.withinLimit
            ? String(w.lines)
            : color.red(`✗ ${w.lines} ≥ ${limit}`),
      align: 'right',
    },
    { header: 'LAST LOG', value: (w) => lastLogCell(w), max: 60, shrink: true },
  ]);

  await renderParts(report, limit, out);

  for (const w of report.worktrees) {
    if (w.operation && w.operationOwner === 'tmc-orch-sync') {
      out.warn(
        `${w.name}: ${w.operation} in progress, started by tmc-orch sync; run tmc-orch sync ${w.name} to finish or undo it without losing changes made meanwhile`,
      );
    } else if (w.operation) {
      out.warn(
        `${w.name}: ${w.operation} in progress; ${operationHint(w.operation, relativePath(repo.cwd, w.path))}`,
      );
    }
    if (w.problem) out.warn(`${w.name}: ${w.problem}`);
  }
  for (const warning of warnings) out.warn(warning);

  const lines = conflictLines(report.worktrees);
  if (lines.length > 0) {
    out.line();
    out.line(color.bold('Conflicts'));
    for (const l of lines) out.line(`  ${l}`);
  } else if (input.conflicts) {
    out.line();
    out.line(color.green('No conflicts forecast.'));
  }
}

/**
 * The parts of stacks no worktree holds, after the worktrees: each with the branch its PR is
 * against, ahead/behind that branch (behind: `sync --all` restacks it), and its PR lines.
 */
async function renderParts(report: StatusReport, limit: number, out: Output): Promise<void> {
  if (report.parts.length === 0) return;
  const { color } = out;
  out.line();
  out.line(color.bold('Stack parts without a worktree'));
  await out.table(report.parts, [
    {
      header: 'BRANCH',
      value: (p) =>
        p.goneParent !== null
          ? `${p.branch} ${color.dim(`(parent ${p.goneParent} gone)`)}`
          : `${p.branch} ${color.dim(`(on ${p.parent ?? report.base})`)}`,
    },
    {
      header: '±PARENT',
      value: (p) => (p.ahead === null ? '-' : `+${p.ahead} -${p.behind ?? 0}`),
      align: 'right',
    },
    {
      header: 'LINES',
      value: (p) =>
        p.lines === null
          ? '-'
          : p.withinLimit
            ? String(p.lines)
            : color.red(`✗ ${p.lines} ≥ ${limit}`),
      align: 'right',
    },
  ]);
  for (const p of report.parts) if (p.problem) out.warn(`${p.branch}: ${p.problem}`);
}

function claimCell(w: WorktreeStatus, dim: (s: string) => string): string {
  if (!w.claim) return '-';
  const stale = w.claim.stale ? dim(' (stale)') : '';
  return `${w.claim.agent} ${dim(formatAge(w.claim.age))}${stale}`;
}

function stateCell(
  w: WorktreeStatus,
  color: {
    red: (s: string) => string;
    yellow: (s: string) => string;
    green: (s: string) => string;
  },
): string {
  if (w.problem && !w.dirty) return color.red('missing');
  const parts: string[] = [];
  if (w.operation) parts.push(color.red(w.operation));
  const d = w.dirty;
  if (d) {
    if (d.unmerged) parts.push(color.red(`${d.unmerged}U`));
    if (d.staged) parts.push(color.yellow(`${d.staged}S`));
    if (d.unstaged) parts.push(color.yellow(`${d.unstaged}M`));
    if (d.untracked) parts.push(color.yellow(`${d.untracked}?`));
  }
  // Words, not a colour alone: "done, worktree clean may remove it" must survive NO_COLOR.
  if (parts.length === 0) parts.push(color.green('clean'));
  if (w.integrated) parts.push(color.green(`integrated (${w.integrated})`));
  return parts.join(' ');
}

function lastLogCell(w: WorktreeStatus): string {
  const message = w.lastLog?.message;
  return typeof message === 'string' ? message : '-';
}

/**
 * One line per conflict: base conflicts, then each conflicting pair once, then overlaps, then the
 * files grouped instead of forecast pair by pair.
 */
function conflictLines(worktrees: readonly WorktreeStatus[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const w of worktrees) {
    if (!w.conflicts) continue;
    if (w.conflicts.withBase.length > 0) {
      lines.push(`${w.name} ✗ base: ${w.conflicts.withBase.join(', ')}`);
    }
  }
  for (const w of worktrees) {
    for (const other of w.conflicts?.withWorktrees ?? []) {
      const key = [w.name, other.name].sort().join('\0');
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(`${w.name} ✗ ${other.name}: ${other.files.join(', ')}`);
    }
  }
  for (const w of worktrees) {
    for (const other of w.conflicts?.overlap ?? []) {
      const key = [w.name, other.name].sort().join('\0');
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(
        `${w.name} ~ ${other.name} (merge cleanly, same files): ${other.files.join(', ')}`,
      );
    }
  }
  const crowded = new Map<string, string[]>();
  for (const w of worktrees) {
    for (const file of w.conflicts?.crowded ?? [])
      crowded.set(file, [...(crowded.get(file) ?? []), w.name]);
  }
  for (const [file, names] of [...crowded].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    lines.push(
      `${file} ≋ ${names.length} worktrees change it, not forecast pair by pair: ${countedList(names, 8)}`,
    );
  }
  return lines;
}
