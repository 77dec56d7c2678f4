import { countLines, largestCounted, type LineFile } from '../linecount/count.js';
import type { Output } from '../ui/output.js';
import type { CommandContext } from './context.js';
import { parsePositiveInt } from './flags.js';
import { renderSummary } from './lines.js';

export interface CheckFlags {
  base?: string;
  limit?: string;
}

/** What to do about a PR over the limit; shared with the pre-push hook. */
export function renderOverLimit(largest: readonly LineFile[], out: Output, write = out.info): void {
  if (largest.length > 0) {
    write('largest counted files:');
    for (const f of largest) write(`  ${String(f.lines).padStart(6)}  ${f.path}`);
  }
  write('see every file and why it counts: tmc-orch lines --by-file');
  write(
    'then split the branch into smaller PRs, or mark generated files (.gitattributes: linguist-generated)',
  );
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
  if (!report.withinLimit) renderOverLimit(largest, ctx.out);
  return report.withinLimit ? 0 : 1;
}
