/**
 * The human text of a split plan: the parts in stack order with their lines, what they build on,
 * why their files travel together and the files themselves, then what keeps the plan over the
 * limit and the import cycles it had to break. Pure: lines of text, the command prints them.
 * Paths come from the repository, so control characters are escaped before they reach a terminal.
 */
import type { SplitPlan } from './types.js';

/** Control characters (C0, DEL, C1) as `\xNN` escapes, so a file name cannot drive a terminal. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => {
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function list(indexes: readonly number[]): string {
  return indexes.length === 1 ? `part ${indexes[0]}` : `parts ${indexes.join(', ')}`;
}

export function renderSplitPlan(plan: SplitPlan): string[] {
  const { parts } = plan;
  const out: string[] = [];
  if (parts.length === 0) {
    out.push('nothing to split: the branch changes no files');
    return out;
  }
  out.push(
    `${plural(plan.total, 'counted line')} in ${plural(parts.length, 'part')} (each under ${plan.limit}, aiming at ${plan.target})`,
  );
  const width = Math.max(3, ...parts.flatMap((p) => p.files.map((f) => String(f.lines).length)));
  for (const part of parts) {
    out.push('');
    out.push(`${part.index}. ${printable(part.name)}  ${plural(part.lines, 'line')}`);
    out.push(
      `   builds on: ${part.dependsOn.length > 0 ? list(part.dependsOn) : 'the base branch only'}`,
    );
    out.push(`   why: ${printable(part.reason)}`);
    for (const file of part.files) {
      const size = file.generated ? 'gen' : String(file.lines);
      const name = file.oldPath !== null ? `${file.oldPath} → ${file.path}` : file.path;
      out.push(`   ${size.padStart(width)}  ${printable(name)}`);
    }
  }
  if (plan.oversized.length > 0) {
    out.push('');
    out.push(`over the limit whatever the split (${plural(plan.oversized.length, 'file')}):`);
    for (const o of plan.oversized) out.push(`   ${printable(o.path)}: ${printable(o.reason)}`);
  }
  for (const cycle of plan.cycles) {
    out.push('');
    out.push(
      `import cycle among ${cycle.packages.map(printable).join(', ')}; placed in that order, so:`,
    );
    for (const d of cycle.deferred) {
      const what = d.test ? 'its tests import' : 'imports';
      out.push(`   ${printable(d.from)} ${what} ${printable(d.to)}, which lands after it`);
    }
  }
  return out;
}

/** The human text of a made stack: the order to open the PRs in, each part's check verdict. */
export function renderApplied(
  base: string,
  parts: readonly {
    index: number;
    branch: string;
    parent: string | null;
    check: { lines: number; limit: number; withinLimit: boolean };
    worktree: { name: string; path: string } | null;
  }[],
): string[] {
  const out: string[] = [`open the PRs in this order, each against the one before it:`];
  const width = Math.max(...parts.map((p) => p.branch.length));
  for (const p of parts) {
    const verdict = p.check.withinLimit
      ? `${p.check.lines} lines, under the limit of ${p.check.limit}`
      : `${p.check.lines} lines, OVER the limit of ${p.check.limit}`;
    const worktree = p.worktree ? `  (worktree ${printable(p.worktree.name)})` : '';
    out.push(
      `  ${p.index}. ${printable(p.branch.padEnd(width))} → ${printable(p.parent ?? base)}: ${verdict}${worktree}`,
    );
  }
  return out;
}
