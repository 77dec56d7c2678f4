import { countLines, type LineFile, type LineReport } from '../linecount/count.js';
import { RULE_FILE } from '../linecount/rules.js';
import type { Output } from '../ui/output.js';
import type { CommandContext } from './context.js';

export interface LinesFlags {
  base?: string;
  workingTree?: boolean;
  byFile?: boolean;
}

const short = (id: string) => id.slice(0, 7);

function sign(file: LineFile): string {
  if (file.binary) return 'binary';
  if (file.submodule) return 'submodule';
  return `+${file.added} -${file.deleted}`;
}

/** The totals, the size label and the verdict: shared by `lines` and `check`. */
export function renderSummary(report: LineReport, out: Output): void {
  const { color } = out;
  const head = report.workingTree ? `${report.head} + working tree` : report.head;
  // A part of a stack is measured against its parent, the PR a reviewer sees: say so.
  const base = report.parent !== null ? `${report.base}, its stack parent,` : report.base;
  out.line(`${base} (merge base ${short(report.mergeBase)}) → ${head}`);
  const unit = report.count === 'added' ? 'added lines' : 'lines';
  out.line(
    `counted   ${report.counted.lines} ${unit} (+${report.counted.added} -${report.counted.deleted}) in ${report.counted.files} files`,
  );
  out.line(
    `excluded  ${report.excluded.lines} ${unit} (+${report.excluded.added} -${report.excluded.deleted}) in ${report.excluded.files} generated files`,
  );
  const verdict = report.withinLimit
    ? color.green(
        `under the limit of ${report.limit} (${report.limit - report.counted.lines} to spare)`,
      )
    : color.red(`over the limit: ${report.counted.lines} ≥ ${report.limit}`);
  out.line(`size ${report.size}, ${verdict}`);
  const ruleFiles = report.files.filter((f) => f.reason === RULE_FILE).map((f) => f.path);
  if (ruleFiles.length > 0) {
    out.line(
      `this PR changes the counting rules (${ruleFiles.sort().join(', ')}): they apply once merged; this PR is judged by the rules at the merge base ${short(report.mergeBase)}`,
    );
  }
}

export async function renderFiles(files: readonly LineFile[], out: Output): Promise<void> {
  const rows = [...files].sort((a, b) => a.path.localeCompare(b.path));
  await out.table(rows, [
    {
      header: 'FILE',
      value: (f) => (f.oldPath !== null ? `${f.oldPath} → ${f.path}` : f.path),
    },
    { header: 'CHANGE', value: sign, align: 'right' },
    { header: 'COUNTED', value: (f) => String(f.lines), align: 'right' },
    {
      header: 'WHY',
      value: (f) =>
        f.generated
          ? out.color.dim(`generated: ${f.reason}`)
          : f.reason
            ? `counted: ${f.reason}`
            : '',
      shrink: true,
    },
  ]);
}

export async function run(
  rev: string | undefined,
  flags: LinesFlags,
  ctx: CommandContext,
): Promise<number> {
  const repo = await ctx.repo();
  const report = await countLines(repo, {
    command: 'lines',
    ...(rev !== undefined ? { rev } : {}),
    ...(flags.base !== undefined ? { base: flags.base } : {}),
    workingTree: Boolean(flags.workingTree),
  });
  if (ctx.out.json) {
    ctx.out.data(report);
    return 0;
  }
  if (flags.byFile) {
    await renderFiles(report.files, ctx.out);
    ctx.out.line();
  }
  renderSummary(report, ctx.out);
  return 0;
}
