import { countLines, largestCounted, type LineFile } from '../linecount/count.js';
import type { Output } from '../ui/output.js';
import { shellWord } from '../ui/text.js';
import type { CommandContext } from './context.js';
import { parsePositiveInt } from './flags.js';
import { renderSummary } from './lines.js';

export interface CheckFlags {
  base?: string;
  limit?: string;
}

/**
 * What to do about a PR over the limit; shared with the pre-push hook. `rev` is the branch or
 * commit measured, as the user named it (null: HEAD), for the commands to copy.
 */
export function renderOverLimit(
  largest: readonly LineFile[],
  out: Output,
  rev: string | null = null,
  write = out.info,
): void {
  if (largest.length > 0) {
    write('largest counted files:');
    for (const f of largest) write(`  ${String(f.lines).padStart(6)}  ${f.path}`);
  }
  const arg = rev === null ? '' : ` ${shellWord(rev)}`;
  write(`see every file and why it counts: tmc-orch lines --by-file${arg}`);
  write(
    `split it into a stack of PRs under the limit: tmc-orch split${arg} shows the plan, tmc-orch split --apply${arg} makes the branches`,
  );
  write('or mark generated files (.gitattributes: linguist-generated)');
}

export async function run(
  rev: string | undefined,
  flags: CheckFlags,
  ctx: CommandContext,
): Promise<number> {
  const limit = flags.limit !== undefined ? parsePositiveInt(flags.limit, '--limit') : undefined;
  const repo = await ctx.repo();
  const report = await countLines(repo, {
    command: 'check',
    ...(rev !== undefined ? { rev } : {}),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  const largest = largestCounted(report);
  if (ctx.out.json) {
    ctx.out.data({ ...report, largest });
    return report.withinLimit ? 0 : 1;
  }
  renderSummary(report, ctx.out);
  if (!report.withinLimit) renderOverLimit(largest, ctx.out, rev ?? null);
  return report.withinLimit ? 0 : 1;
}
