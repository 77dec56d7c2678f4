import { actingAgent } from '../config/identity.js';
import { ExitCode, UsageError } from '../errors.js';
import { appendLog } from '../status/log.js';
import type { ApplyResult } from '../split/apply.js';
import type { SplitReport } from '../split/gather.js';
import type { Output } from '../ui/output.js';
import { shellWord } from '../ui/text.js';
import type { CommandContext } from './context.js';
import { parsePositiveInt } from './flags.js';

export interface SplitFlags {
  base?: string;
  limit?: string;
  target?: string;
  apply?: boolean;
  name?: string;
  worktrees?: boolean;
}

/** The JSON document of `split`: the plan, and with --apply what was made. */
export type SplitData = SplitReport & { applied: ApplyResult | null };

interface Result {
  exitCode: number;
  data: SplitData;
  render(out: Output): void;
}

/**
 * `tmc-orch split [REV]`: the plan of a stack of PRs under the limit (exit 1 when a file alone
 * reaches it); with --apply, the stack made as branches. Data first, rendered by the boundary.
 */
export async function run(
  rev: string | undefined,
  flags: SplitFlags,
  ctx: CommandContext,
): Promise<number> {
  const result = await split(rev, flags, ctx);
  if (ctx.out.json) ctx.out.data(result.data);
  else result.render(ctx.out);
  return result.exitCode;
}

async function split(
  rev: string | undefined,
  flags: SplitFlags,
  ctx: CommandContext,
): Promise<Result> {
  if (!flags.apply && (flags.name !== undefined || flags.worktrees)) {
    throw new UsageError(
      `${flags.name !== undefined ? '--name' : '--worktrees'} only applies to the branches --apply makes; add --apply, or drop it to see the plan`,
    );
  }
  const limit = flags.limit !== undefined ? parsePositiveInt(flags.limit, '--limit') : undefined;
  const target =
    flags.target !== undefined ? parsePositiveInt(flags.target, '--target') : undefined;
  // Claims need an explicit agent: refuse before anything is read or made.
  const agent = flags.worktrees
    ? actingAgent(ctx.identity, 'split --apply --worktrees')
    : ctx.agent;
  const repo = await ctx.repo();
  const { planBranchSplit } = await import('../split/gather.js');
  const report = await planBranchSplit(repo, {
    ...(rev !== undefined ? { rev } : {}),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(target !== undefined ? { target } : {}),
  });
  const { renderSplitPlan, renderApplied } = await import('../split/render.js');
  const revArg = rev === undefined ? '' : ` ${shellWord(rev)}`;
  const header = `${report.head} against ${report.base}${report.parent !== null ? ', its stack parent' : ''} (merge base ${report.mergeBase.slice(0, 7)}):`;

  if (!flags.apply) {
    const exitCode = report.oversized.length > 0 ? ExitCode.no : ExitCode.ok;
    return {
      exitCode,
      data: { ...report, applied: null },
      render(out) {
        out.line(header);
        for (const line of renderSplitPlan(report)) out.line(line);
        if (exitCode === ExitCode.ok && report.parts.length > 1) {
          out.info(`make these branches: tmc-orch split --apply${revArg}`);
        }
      },
    };
  }

  const { applySplit, revBranch } = await import('../split/apply.js');
  const progress = ctx.out.progress('splitting…');
  let applied: ApplyResult;
  try {
    applied = await applySplit(repo, report, {
      branch: await revBranch(repo, rev),
      ...(flags.name !== undefined ? { prefix: flags.name } : {}),
      worktrees: Boolean(flags.worktrees),
      agent,
      revIsHead: rev === undefined || rev === 'HEAD',
      onProgress: (step) => progress.update(step),
    });
  } finally {
    progress.stop();
  }
  const warnings = [...applied.warnings];
  const names = applied.parts.map((p) => `${p.branch} (${p.check.lines})`).join(', ');
  try {
    const { currentWorktree } = await import('../worktrees/lookup.js');
    await appendLog(repo, {
      agent: ctx.agent,
      worktree: (await currentWorktree(repo)).name,
      message: `split ${report.head} (${report.headCommit.slice(0, 10)}, ${report.total} counted lines) into ${applied.parts.length} stacked parts: ${names}`,
      source: 'tmc-orch',
    });
  } catch (error) {
    warnings.push(`could not write the status log: ${(error as Error).message}`);
  }
  const over = applied.parts.filter((p) => !p.check.withinLimit);
  return {
    exitCode: over.length > 0 ? ExitCode.no : ExitCode.ok,
    data: { ...report, applied: { ...applied, warnings } },
    render(out) {
      out.line(header);
      for (const line of renderSplitPlan(report)) out.line(line);
      out.line();
      for (const line of renderApplied(report.base, applied.parts)) out.line(line);
      for (const w of warnings) out.warn(w);
      out.info(
        `push each part (git push -u origin <branch>); tmc-orch sync restacks them when a part below moves or is merged`,
      );
    },
  };
}
