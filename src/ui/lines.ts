import type { LineFile } from '../linecount/classify.js';
import type { LineReport } from '../linecount/count.js';
import { RULE_FILE } from '../linecount/rules.js';
import { shortId } from './format.js';
import type { Output } from './output.js';
import { shellWord } from './format.js';

/** How line counts read: shared by `lines`, `check` and the pre-push hook. */

function sign(file: LineFile): string {
  if (file.binary) return 'binary';
  if (file.submodule) return 'submodule';
  return `+${file.added} -${file.deleted}`;
}

/** The totals, the size label and the verdict. */
export function renderSummary(report: LineReport, out: Output): void {
  const { color } = out;
  const head = report.workingTree ? `${report.head} + working tree` : report.head;
  // A part of a stack is measured against its parent, the PR a reviewer sees: say so.
  const base = report.parent !== null ? `${report.base}, its stack parent,` : report.base;
  out.line(`${base} (merge base ${shortId(report.mergeBase)}) → ${head}`);
  if (report.goneParent !== null) {
    out.line(
      `its stack parent ${report.goneParent} is gone, so it is measured against ${report.base}, with the parent's changes until restacked (tmc-orch sync, once they are in ${report.base})`,
    );
  }
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
      `this PR changes the counting rules (${ruleFiles.sort().join(', ')}): they apply once merged; this PR is judged by the rules at the merge base ${shortId(report.mergeBase)}`,
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

/**
 * What to do about a PR over the limit. `rev` is the branch or commit measured, as the user
 * named it (null: HEAD), for the commands to copy. A part of a stack whose parent branch is
 * gone (deleted once merged, often) holds the parent's changes until restacked: say that first.
 */
export function renderOverLimit(
  largest: readonly LineFile[],
  out: Output,
  rev: string | null = null,
  report: Pick<LineReport, 'goneParent' | 'base'> | null = null,
): void {
  if (report !== null && report.goneParent !== null) {
    out.info(
      `its stack parent ${report.goneParent} is gone: if it was merged into ${report.base}, restack this branch onto it first (tmc-orch sync, in its worktree), then check again`,
    );
  }
  if (largest.length > 0) {
    out.info('largest counted files:');
    for (const f of largest) out.info(`  ${String(f.lines).padStart(6)}  ${f.path}`);
  }
  const arg = rev === null ? '' : ` ${shellWord(rev)}`;
  out.info(`see every file and why it counts: tmc-orch lines --by-file${arg}`);
  out.info(
    `split it into a stack of PRs under the limit: tmc-orch split${arg} shows the plan, tmc-orch split --apply${arg} makes the branches`,
  );
  out.info('or mark generated files (.gitattributes: linguist-generated)');
}
