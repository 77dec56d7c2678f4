import { UsageError } from '../errors.js';
import { syncProviders } from '../sync/providers.js';
import { retargetNote, syncWorktrees } from '../sync/sync.js';
import { type SyncResult, type SyncStrategy } from '../sync/types.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import { relativePath, shortId } from '../ui/format.js';

export interface SyncInput {
  /** Worktree names; empty: the current one (or every one with `all`). */
  names: string[];
  all: boolean;
  /** undefined: config sync.strategy. */
  strategy?: SyncStrategy;
  dryRun: boolean;
}

/**
 * Exit 1 when any worktree conflicted or failed, or when a worktree named on the command line
 * (or the current one) was skipped; with --all, skips are expected and exit 0.
 */
export async function run(input: SyncInput, ctx: CommandContext): Promise<CommandResult> {
  const { names } = input;
  if (input.all && names.length > 0) {
    throw new UsageError(
      `--all syncs every worktree, so the names ${names.join(', ')} would be ignored; pass either names or --all`,
    );
  }
  const repo = await ctx.repo();
  const strategy = input.strategy ?? repo.config.sync.strategy;
  const progress = ctx.out.progress('syncing…');
  const providers = syncProviders(repo, ctx.agent, ctx.now());
  let report;
  try {
    report = await syncWorktrees(repo, {
      targets: input.all ? 'all' : names.length > 0 ? names : 'current',
      strategy,
      dryRun: input.dryRun,
      agent: ctx.agent,
      claimOf: providers.claimOf,
      now: ctx.now,
      onResult: async (result, context) => {
        await providers.onResult?.(result, context);
        progress.update(`synced ${context.done}/${context.total} ${result.name}`);
      },
      onFetchWait: () => progress.update('waiting for the fetch of another tmc-orch sync…'),
    });
  } finally {
    progress.stop();
    // The entries of the worktrees synced so far, a failure included: one push for all.
    await providers.share();
  }
  report.warnings.push(...providers.warnings);
  const failed = report.summary.conflict + report.summary.failed > 0;
  const done = report;
  return {
    exitCode: failed || (!input.all && report.summary.skipped > 0) ? 1 : 0,
    data: report,
    render(out) {
      for (const w of done.warnings) out.warn(w);
      for (const r of done.results) {
        out.line(resultLine(r, repo.cwd, out.color));
        if (r.recovered) out.line(out.color.dim(`            first: ${r.recovered}`));
      }
      const s = done.summary;
      const prefix = done.dryRun ? 'dry run, nothing changed: ' : '';
      out.line(
        `${prefix}${s.updated} ${done.dryRun ? 'would update' : 'updated'}, ${s.upToDate} up to date, ${s.skipped} skipped, ${s.conflict} conflict, ${s.failed} failed (base ${done.base}${done.fetched ? ', fetched' : ''})`,
      );
    },
  };
}

type Paint = (s: string) => string;

/** For a part of a stack: what it was rebased onto, and its new parent once its own is merged. */
function stackNote(r: SyncResult): string {
  if (r.stack === null) return '';
  return ` (onto ${r.stack.onto}${retargetNote(r)})`;
}

function resultLine(
  r: SyncResult,
  cwd: string,
  color: { green: Paint; yellow: Paint; red: Paint; dim: Paint },
): string {
  // A part of a stack no worktree holds was restacked on its branch alone: said so, no path.
  const where = color.dim(r.path === null ? '(no worktree)' : `(${relativePath(cwd, r.path)})`);
  const name = r.kind === 'branch' ? `branch ${r.name}` : r.name;
  switch (r.status) {
    case 'updated':
      return r.after
        ? `${color.green('updated')}     ${name} ${shortId(r.before)} → ${shortId(r.after)}${stackNote(r)} ${where}`
        : `${color.green('would update')} ${name}: ${r.reason}${retargetNote(r)} ${where}`;
    case 'up-to-date':
      return `${color.dim('up to date')}  ${name}${stackNote(r)} ${where}`;
    case 'skipped':
      return `${color.yellow('skipped')}     ${name}: ${r.reason}`;
    case 'conflict':
      return `${color.red('conflict')}    ${name}: ${r.conflicts.join(', ')}; ${r.reason}`;
    case 'failed':
      return `${color.red('failed')}      ${name}: ${r.reason}`;
  }
}
