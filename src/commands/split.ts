import { actingAgent } from '../config/identity.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import { appendLog } from '../log/append.js';
import type { ApplyResult } from '../split/apply.js';
import type { SplitReport } from '../split/gather.js';
import { shellWord, shortId } from '../ui/format.js';

export interface SplitInput {
  rev?: string;
  base?: string;
  limit?: number;
  target?: number;
  /** Make the branches (else: only the plan). */
  apply: boolean;
  /** With apply: the parts are <name>-1, <name>-2, … */
  name?: string;
  /** With apply: a worktree per part, claimed by the acting agent. */
  worktrees: boolean;
}

/** The JSON document of `split`: the plan, and with --apply what was made (else null). */
export type SplitData = SplitReport & { applied: ApplyResult | null };

/**
 * `tmc-orch split [REV]`: the plan of a stack of PRs under the limit (exit 1 when a file alone
 * reaches it); with --apply, the stack made as branches (exit 1 when a part's check says no).
 */
export async function run(
  input: SplitInput,
  ctx: CommandContext,
): Promise<CommandResult<SplitData>> {
  // Claims need an explicit agent: refuse before anything is read or made.
  const agent = input.worktrees
    ? actingAgent(ctx.identity, 'split --apply --worktrees')
    : ctx.agent;
  const repo = await ctx.repo();
  const { planBranchSplit } = await import('../split/gather.js');
  const report = await planBranchSplit(repo, {
    ...(input.rev !== undefined ? { rev: input.rev } : {}),
    ...(input.base !== undefined ? { base: input.base } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    ...(input.target !== undefined ? { target: input.target } : {}),
  });
  const { renderSplitPlan, renderApplied } = await import('../split/render.js');
  const revArg = input.rev === undefined ? '' : ` ${shellWord(input.rev)}`;
  const header = `${report.head} against ${report.base}${report.parent !== null ? ', its stack parent' : ''} (merge base ${shortId(report.mergeBase)}):`;

  if (!input.apply) {
    const exitCode = report.oversized.length > 0 ? 1 : 0;
    return {
      exitCode,
      data: { ...report, applied: null },
      render(out) {
        out.line(header);
        for (const line of renderSplitPlan(report)) out.line(line);
        if (exitCode === 0 && report.parts.length > 1) {
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
      branch: await revBranch(repo, input.rev),
      ...(input.name !== undefined ? { prefix: input.name } : {}),
      ...(input.base !== undefined ? { base: input.base } : {}),
      worktrees: input.worktrees,
      agent,
      revIsHead: input.rev === undefined || input.rev === 'HEAD',
      onProgress: (step) => progress.update(step),
      onInterrupt: (signal) => {
        progress.update(`${signal}: stopping, and taking back what split --apply made…`);
        ctx.out.warn(
          `${signal}: split --apply stops at its next step and removes what it made; interrupt again to stop at once and leave it`,
        );
      },
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
      message: `split ${report.head} (${shortId(report.headCommit)}, ${report.total} counted lines) into ${applied.parts.length} stacked parts: ${names}`,
      source: 'tmc-orch',
    });
  } catch (error) {
    warnings.push(`could not write the status log: ${(error as Error).message}`);
  }
  const over = applied.parts.some((p) => !p.check.withinLimit);
  return {
    exitCode: over ? 1 : 0,
    data: { ...report, applied: { ...applied, warnings } },
    render(out) {
      out.line(header);
      for (const line of renderSplitPlan(report)) out.line(line);
      out.line();
      for (const line of renderApplied(report.base, applied.parts)) out.line(line);
      for (const w of warnings) out.warn(w);
      out.info(
        'push each part (git push -u origin <branch>); tmc-orch sync restacks them when a part below moves or is merged',
      );
    },
  };
}
