import { countLines, largestCounted } from '../linecount/count.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import { renderOverLimit, renderSummary } from '../ui/lines.js';

export interface CheckInput {
  rev?: string;
  base?: string;
  limit?: number;
}

/** Exit 1 when the PR of `rev` has too many counted lines. */
export async function run(input: CheckInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const report = await countLines(repo, {
    command: 'check',
    ...(input.rev !== undefined ? { rev: input.rev } : {}),
    ...(input.base !== undefined ? { base: input.base } : {}),
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
  });
  const largest = largestCounted(report);
  return {
    exitCode: report.withinLimit ? 0 : 1,
    data: { ...report, largest },
    render(out) {
      renderSummary(report, out);
      if (!report.withinLimit) renderOverLimit(largest, out, input.rev ?? null, report);
    },
  };
}
