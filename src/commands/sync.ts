import path from 'node:path';
import { UsageError } from '../errors.js';
import { syncProviders } from '../status/providers.js';
import { parseStrategy, retargetNote, syncWorktrees, type SyncResult } from '../status/sync.js';
import type { CommandContext } from './context.js';

export interface SyncFlags {
  all?: boolean;
  strategy?: string;
  dryRun?: boolean;
}

/**
 * Exit 1 when any worktree conflicted or failed, or when a worktree named on the command line
 * (or the current one) was skipped; with --all, skips are expected and exit 0.
 */
export async function run(names: string[], flags: SyncFlags, ctx: CommandContext): Promise<number> {
  if (flags.all && names.length > 0) {
    throw new UsageError(
      `--all syncs every worktree, so the names ${names.join(', ')} would be ignored; pass either names or --all`,
    );
  }
  const repo = await ctx.repo();
  const strategy = parseStrategy(flags.strategy, repo.config.sync.strategy);
  const progress = ctx.out.progress('syncing…');
  const providers = syncProviders(repo, ctx.agent);
  let report;
  try {
    report = await syncWorktrees(repo, {
      targets: flags.all ? 'all' : names.length > 0 ? names : 'current',
      strategy,
      dryRun: Boolean(flags.dryRun),
      agent: ctx.agent,
      claimOf: providers.claimOf,
      onResult: async (result, context) => {
        await providers.onResult?.(result, context);
        progress.update(`synced ${context.done}/${context.total} ${result.name}`);
      },
      onFetchWait: () => progress.update('waiting for the fetch of another tmc-orch sync…'),
    });
  } finally {
    progress.stop();
  }
  report.warnings.push(...providers.warnings);
  const failed = report.summary.conflict + report.summary.failed > 0;
  const exitCode = failed || (!flags.all && report.summary.skipped > 0) ? 1 : 0;
  if (ctx.out.json) {
    ctx.out.data(report);
    return exitCode;
  }
  const { out } = ctx;
  for (const w of report.warnings) out.warn(w);
  const rel = (p: string) => path.relative(repo.cwd, p) || '.';
  for (const r of report.results) {
    out.line(resultLine(r, rel, out.color));
    if (r.recovered) out.line(out.color.dim(`            first: ${r.recovered}`));
  }
  const s = report.summary;
  const prefix = report.dryRun ? 'dry run, nothing changed: ' : '';
  out.line(
    `${prefix}${s.updated} ${report.dryRun ? 'would update' : 'updated'}, ${s.upToDate} up to date, ${s.skipped} skipped, ${s.conflict} conflict, ${s.failed} failed (base ${report.base}${report.fetched ? ', fetched' : ''})`,
  );
  return exitCode;
}

type Paint = (s: string) => string;

/** For a part of a stack: what it was rebased onto, and its new parent once its own is merged. */
function stackNote(r: SyncResult): string {
  if (r.stack === null) return '';
  return ` (onto ${r.stack.onto}${retargetNote(r)})`;
}

function resultLine(
  r: SyncResult,
  rel: (p: string) => string,
  color: { green: Paint; yellow: Paint; red: Paint; dim: Paint },
): string {
  const short = (sha: string | null) => (sha ? sha.slice(0, 10) : '-');
  const where = color.dim(`(${rel(r.path)})`);
  switch (r.status) {
    case 'updated':
      return r.after
        ? `${color.green('updated')}     ${r.name} ${short(r.before)} → ${short(r.after)}${stackNote(r)} ${where}`
        : `${color.green('would update')} ${r.name}: ${r.reason ?? ''}${retargetNote(r)} ${where}`;
    case 'up-to-date':
      return `${color.dim('up to date')}  ${r.name}${stackNote(r)} ${where}`;
    case 'skipped':
      return `${color.yellow('skipped')}     ${r.name}: ${r.reason ?? ''}`;
    case 'conflict':
      return `${color.red('conflict')}    ${r.name}: ${r.conflicts.join(', ')}; ${r.reason ?? ''}`;
    case 'failed':
      return `${color.red('failed')}      ${r.name}: ${r.reason ?? ''}`;
  }
}
