import { UsageError } from '../errors.js';
import { diffFiles, resolveCommit } from '../git/index.js';
import type { Repo } from '../repo.js';
import { classifyFiles, type LineFile } from './classify.js';
import { assertRevision, baseSpec, resolveAll } from './resolve.js';

/**
 * Counting the lines of a PR: what to measure (resolve.ts), the diff from the merge base, which
 * files count (classify.ts), and the totals against the limit.
 */

export type SizeLabel = 'XS' | 'S' | 'M' | 'L' | 'XL' | 'XXL';

/** The Kubernetes `size/*` label of a PR with this many counted lines. */
export function sizeLabel(lines: number): SizeLabel {
  if (lines < 10) return 'XS';
  if (lines < 30) return 'S';
  if (lines < 100) return 'M';
  if (lines < 500) return 'L';
  if (lines < 1000) return 'XL';
  return 'XXL';
}

interface LineTotals {
  added: number;
  deleted: number;
  lines: number;
  files: number;
}

/** The JSON document of `tmc-orch lines --json` (and the data behind `check`). */
export interface LineReport {
  /** The base as given (ref name) and the head revision as given. */
  base: string;
  /**
   * The stack parent the PR is measured against (`base` names it too), or null for a PR against
   * the base branch or `--base`.
   */
  parent: string | null;
  /**
   * The stack parent recorded for the branch when its branch is gone (deleted, often once
   * merged): the PR is then measured against the base, and holds the parent's changes until
   * restacked. null otherwise.
   */
  goneParent: string | null;
  head: string;
  baseCommit: string;
  headCommit: string;
  mergeBase: string;
  /** Whether uncommitted changes to tracked files are counted. */
  workingTree: boolean;
  count: 'changed' | 'added';
  limit: number;
  withinLimit: boolean;
  size: SizeLabel;
  counted: LineTotals;
  excluded: LineTotals;
  files: LineFile[];
}

export interface CountOptions {
  rev?: string;
  base?: string;
  workingTree?: boolean;
  limit?: number;
  /** The command being run, for the commands error messages suggest. */
  command?: 'lines' | 'check' | 'split';
  /**
   * The branch `rev` is, for its stack parent (a push names it beside the commit); by default
   * the branch checked out when `rev` is HEAD, or `rev` itself.
   */
  branch?: string | null;
}

/**
 * What measuring a PR gives: its report, or, for a branch that shares no history with the base
 * (an orphan such as gh-pages), that there is no PR to measure.
 */
export type PrCount =
  { status: 'counted'; report: LineReport } | { status: 'unrelated'; base: string; head: string };

/** The line report of a PR; exit 2 for a branch that shares no history with the base. */
export async function countLines(repo: Repo, options: CountOptions = {}): Promise<LineReport> {
  const result = await countPr(repo, options);
  if (result.status === 'counted') return result.report;
  const command = options.command ?? 'lines';
  throw new UsageError(
    `${result.head} shares no history with the base ${result.base} (an orphan branch, like gh-pages, is no PR against it); count it against a branch it was started from: tmc-orch ${command} ${result.head} --base <ref>`,
  );
}

/**
 * Counts the lines a PR from `rev` into `base` shows (merge-base to rev), excluding generated
 * files as the rules at the merge base say (changes to the rule files always count). Git
 * processes, never one per file: one rev-parse (both commits and their merge base), one diff, one
 * cat-file (`.generated_files`, the merge base's `.gitattributes` and the heads of the changed
 * files; a second only when `.generated_files` uses paths-from-repo), one check-attr.
 */
export async function countPr(repo: Repo, options: CountOptions = {}): Promise<PrCount> {
  const cwd = repo.toplevel;
  const rev = options.rev ?? 'HEAD';
  const workingTree = Boolean(options.workingTree);
  const command = options.command ?? 'lines';
  assertRevision(rev, 'revision', command);
  if (options.base !== undefined) assertRevision(options.base, '--base', command);
  const { base: spec, range } = await resolveAll(
    repo,
    await baseSpec(repo, options.base, rev, options.branch),
    rev,
  );
  const base = spec.name;
  const { base: baseCommit, head: headCommit } = range;

  if (workingTree && options.rev !== undefined) {
    const current = await resolveCommit(cwd, 'HEAD');
    if (current !== headCommit) {
      throw new UsageError(
        `--working-tree counts the checkout, but ${rev} is not HEAD; drop REV or --working-tree`,
      );
    }
  }

  const mb = range.mergeBase;
  if (!mb) return { status: 'unrelated', base, head: rev };

  // From the merge base, as `base...rev` would diff.
  const entries = await diffFiles(cwd, { from: mb, to: workingTree ? null : headCommit });
  const files = await classifyFiles(repo, mb, entries);

  const { config } = repo;
  const counted: LineTotals = { added: 0, deleted: 0, lines: 0, files: 0 };
  const excluded: LineTotals = { added: 0, deleted: 0, lines: 0, files: 0 };
  for (const file of files) {
    const totals = file.generated ? excluded : counted;
    totals.added += file.added;
    totals.deleted += file.deleted;
    totals.lines += file.generated
      ? config.lines.count === 'added'
        ? file.added
        : file.added + file.deleted
      : file.lines;
    totals.files++;
  }
  const limit = options.limit ?? config.lines.limit;
  const report: LineReport = {
    base,
    parent: spec.parent,
    goneParent: spec.goneParent,
    head: rev,
    baseCommit,
    headCommit,
    mergeBase: mb,
    workingTree,
    count: config.lines.count,
    limit,
    withinLimit: counted.lines < limit,
    size: sizeLabel(counted.lines),
    counted,
    excluded,
    files,
  };
  return { status: 'counted', report };
}

/** The counted files with the most lines, for messages. */
export function largestCounted(report: LineReport, n = 5): LineFile[] {
  return report.files
    .filter((f) => !f.generated && f.lines > 0)
    .sort((a, b) => b.lines - a.lines || a.path.localeCompare(b.path))
    .slice(0, n);
}
