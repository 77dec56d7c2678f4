import { open } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import {
  ambiguousNameError,
  attributeFilesFor,
  checkAttr,
  checkAttrFrom,
  headBranch,
  diffFiles,
  isZeroId,
  readTypedObjects,
  resolveCommit,
  resolveRange,
  withCommitIndex,
  type AttrValue,
  type DiffEntry,
  type RangeResolution,
} from '../git/index.js';
import { expectedBase, resolveBase, type Repo } from '../repo.js';
import { stackParent } from '../stack/record.js';
import {
  GENERATED_FILES,
  GeneratedFilesError,
  emptyGeneratedFiles,
  parseGeneratedFiles,
  parsePathList,
  type GeneratedFiles,
} from './generated-files.js';
import { Rules, headOf } from './rules.js';

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

export interface LineFile {
  path: string;
  /** The path before a rename or copy, else null. */
  oldPath: string | null;
  added: number;
  deleted: number;
  /** What the file counts for: added + deleted, or added only (`lines.count`). 0 when excluded. */
  lines: number;
  binary: boolean;
  submodule: boolean;
  generated: boolean;
  /** The rule that decided, or null for an ordinary hand-written file. */
  reason: string | null;
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
 * Why `rev` is not one revision, or null when it may be one (git decides whether it names a
 * commit). Ranges are refused rather than read: `lines HEAD..main` would count something other
 * than what it says. `next` is the command to suggest, when there is an obvious one.
 */
export function revisionProblem(rev: string): { problem: string; next: string | null } | null {
  if (rev === '' || rev.startsWith('-') || /[\0\n]/.test(rev)) {
    return { problem: 'is not a revision', next: null };
  }
  const dots = /^(.*?)\.{2,3}(.*)$/.exec(rev);
  if (dots) {
    const from = dots[1] || 'HEAD';
    const to = dots[2] || 'HEAD';
    return { problem: 'is a range, not one revision', next: `${to} --base ${from}` };
  }
  if (rev.startsWith('^') || /\^(?:@|!|-\d*)$/.test(rev)) {
    return { problem: 'is a range, not one revision', next: null };
  }
  return null;
}

function assertRevision(rev: string, flag: string, command: string): void {
  const found = revisionProblem(rev);
  if (!found) return;
  const next = found.next
    ? `count one branch from its merge base with another: tmc-orch ${command} ${found.next}`
    : flag === '--base'
      ? 'pass one branch, tag or commit, e.g. --base main'
      : `pass one branch, tag or commit, and the base with --base: tmc-orch ${command} <rev> --base <ref>`;
  throw new UsageError(`${flag} ${JSON.stringify(rev)} ${found.problem}; ${next}`);
}

/**
 * The base as named to people, what git is given for it (a full ref name or an id), and the
 * stack parent it is, if it is one. `guess`: the configured base as it usually is, tried before
 * resolveBase is asked (see resolveAll).
 */
interface BaseSpec {
  name: string;
  rev: string;
  parent: string | null;
  guess: boolean;
}

/** The branch whose stack parent applies to `rev`: see CountOptions.branch. */
async function branchOf(repo: Repo, rev: string, given: string | null | undefined) {
  if (given !== undefined) return given;
  if (rev === 'HEAD') return headBranch(repo.gitDir);
  return rev.startsWith('refs/heads/') ? rev.slice('refs/heads/'.length) : rev;
}

/**
 * What a PR of `rev` is measured against: `--base` when given; else the branch's stack parent
 * (a part of `tmc-orch split --apply`, whose PR is against the part before it) when that branch
 * exists; else the base. No git process unless the repository records a stack.
 */
async function baseSpec(
  repo: Repo,
  given: string | undefined,
  rev: string,
  branch: string | null | undefined,
): Promise<BaseSpec> {
  if (given !== undefined) return { name: given, rev: given, parent: null, guess: false };
  const b = await branchOf(repo, rev, branch);
  const parent = b === null ? null : await stackParent(repo, b);
  if (parent) {
    const name = parent.entry.parent;
    return { name, rev: parent.ref, parent: name, guess: false };
  }
  const { base, ref } = expectedBase(repo);
  return { name: base, rev: ref, parent: null, guess: true };
}

/**
 * The base and head commits and their merge base, in one rev-parse. The configured base is tried
 * as it usually is (`<remote>/<base>`); only when that fails is resolveBase asked for the ref
 * that exists, and the range resolved again. A short name that stands for two refs (a branch
 * `origin/main` beside the remote-tracking `origin/main`, a tag and a branch `feat`) is refused:
 * git would pick one silently, and count against the wrong base.
 */
async function resolveAll(
  repo: Repo,
  spec: BaseSpec,
  rev: string,
): Promise<{ base: BaseSpec; range: { base: string; head: string; mergeBase: string | null } }> {
  const cwd = repo.toplevel;
  let base = spec;
  let range: RangeResolution = await resolveRange(cwd, base.rev, rev);
  if (range.status !== 'resolved' && base.guess) {
    const found = await resolveBase(repo);
    base = { name: found.base, rev: found.baseCommit ?? found.ref, parent: null, guess: false };
    range = await resolveRange(cwd, base.rev, rev);
  }
  if (range.status === 'resolved') return { base, range };
  if (range.status === 'ambiguous') {
    throw await ambiguousNameError(cwd, range.name === rev ? 'revision' : '--base', range.name);
  }
  if (!(await resolveCommit(cwd, base.rev))) {
    throw new UsageError(
      `base ${JSON.stringify(base.name)} names no commit; pass --base <ref>, or fetch it (git fetch)`,
    );
  }
  throw new UsageError(
    `revision ${JSON.stringify(rev)} names no commit; pass a branch, tag or commit such as HEAD`,
  );
}

/** Reads the first bytes of a working-tree file (enough for the head); null when unreadable. */
async function readWorkingFile(file: string, bytes = 256 * 1024): Promise<Buffer | null> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * Where a file's content comes from: a git object (`<id>` or `<rev>:<path>`; with `blob`, null
 * unless that is a blob) or the disk.
 */
type Source = { object: string; blob?: boolean } | { disk: string };

async function readSources(cwd: string, sources: Source[]): Promise<(Buffer | null)[]> {
  const objects = await readTypedObjects(
    cwd,
    sources.flatMap((s) => ('object' in s ? [s.object] : [])),
  );
  return Promise.all(
    sources.map((s) => {
      if (!('object' in s)) return readWorkingFile(path.join(cwd, s.disk));
      const found = objects.get(s.object);
      return found && (!s.blob || found.type === 'blob') ? found.content : null;
    }),
  );
}

/**
 * Where the head of a changed file is read from; null for a submodule. Binaries are only known
 * once the numstat is in (their head is then read but not used).
 */
function headSource(entry: DiffEntry): Source | null {
  if (entry.submodule) return null;
  // A deletion is judged by what was deleted; everything else by the file as it is at REV.
  const blob = entry.status === 'D' ? entry.oldBlob : entry.newBlob;
  return isZeroId(blob) ? { disk: entry.path } : { object: blob };
}

function parseRules(text: string | null): GeneratedFiles {
  if (text === null) return emptyGeneratedFiles();
  try {
    return parseGeneratedFiles(text);
  } catch (error) {
    if (error instanceof GeneratedFilesError) {
      throw new ConfigError(
        `${GENERATED_FILES} ${error.message}; fix the file (Prow format: "<directive> <value>" a line)`,
      );
    }
    throw error;
  }
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
  const attrPaths = entries.flatMap((e) => (e.oldPath !== null ? [e.path, e.oldPath] : [e.path]));
  // The rules are read as they are at the merge base: a PR is judged by the rules it is
  // proposed under, so one that adds `* linguist-generated` does not get to exclude itself.
  const attrFiles = attributeFilesFor(attrPaths);
  // cat-file takes one object name a line: a folder name with a newline in it needs the index.
  const viaIndex = attrFiles.some((f) => f.includes('\n'));
  const sources = entries.map(headSource);
  // .generated_files, the .gitattributes files and the heads of the changed files: one cat-file.
  const [rulesFile = null, ...read] = await readSources(cwd, [
    { object: `${mb}:${GENERATED_FILES}` },
    ...(viaIndex ? [] : attrFiles.map((f) => ({ object: `${mb}:${f}`, blob: true }))),
    ...sources.filter((s): s is Source => s !== null),
  ]);
  const attrContents = new Map<string, Buffer>();
  if (!viaIndex) {
    for (const [i, file] of attrFiles.entries()) {
      const content = read[i];
      if (content) attrContents.set(file, content);
    }
  }
  let next = viaIndex ? 0 : attrFiles.length;
  const heads = sources.map((s) => (s ? (read[next++] ?? null) : null));
  // Rule 1: linguist-generated, as the merge base's .gitattributes say.
  const attrs: Map<string, AttrValue> = viaIndex
    ? await withCommitIndex(cwd, mb, (indexFile) =>
        checkAttr(cwd, 'linguist-generated', attrPaths, { indexFile }),
      )
    : await checkAttrFrom(repo.gitDir, 'linguist-generated', attrPaths, attrContents);

  const rulesText = rulesFile ? rulesFile.toString('utf8') : null;
  const generatedFiles = parseRules(rulesText);
  if (generatedFiles.pathsFromRepo.length > 0) {
    const lists = await readSources(
      cwd,
      generatedFiles.pathsFromRepo.map((file) => ({ object: `${mb}:${file}` })),
    );
    for (const list of lists)
      if (list) generatedFiles.paths.push(...parsePathList(list.toString('utf8')));
  }

  const { config } = repo;
  const rules = new Rules({
    generatedFiles,
    exclude: config.lines.generated.exclude,
    include: config.lines.generated.include,
    presets: config.lines.generated.presets,
  });

  const files: LineFile[] = entries.map((entry, i) => {
    const content = entry.binary ? null : heads[i];
    const head = content ? headOf(content) : null;
    let verdict = rules.decide({ path: entry.path, attr: attrs.get(entry.path), head });
    if (entry.oldPath !== null && rules.isRuleFile(entry.oldPath)) {
      verdict = rules.decide({ path: entry.oldPath, attr: undefined, head: null });
    } else if (!verdict.generated && entry.oldPath !== null) {
      const old = rules.decide({ path: entry.oldPath, attr: attrs.get(entry.oldPath), head: null });
      if (old.generated) verdict = { generated: true, reason: `${old.reason} (old path)` };
    }
    const added = entry.submodule ? 0 : entry.added;
    const deleted = entry.submodule ? 0 : entry.deleted;
    const lines = verdict.generated ? 0 : config.lines.count === 'added' ? added : added + deleted;
    return {
      path: entry.path,
      oldPath: entry.oldPath,
      added,
      deleted,
      lines,
      binary: entry.binary,
      submodule: entry.submodule,
      generated: verdict.generated,
      reason: verdict.reason,
    };
  });

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
