import { countLines } from '../linecount/count.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import { renderFiles, renderSummary } from '../ui/lines.js';

export interface LinesInput {
  rev?: string;
  base?: string;
  workingTree: boolean;
  byFile: boolean;
}

export async function run(input: LinesInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const report = await countLines(repo, {
    command: 'lines',
    ...(input.rev !== undefined ? { rev: input.rev } : {}),
    ...(input.base !== undefined ? { base: input.base } : {}),
    workingTree: input.workingTree,
  });
  return {
    exitCode: 0,
    data: report,
    async render(out) {
      if (input.byFile) {
        await renderFiles(report.files, out);
        out.line();
      }
      renderSummary(report, out);
    },
  };
}
