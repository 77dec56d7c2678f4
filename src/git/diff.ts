import { ambiguousName, runGit, splitNul } from './run.js';
import { isObjectId } from './object-id.js';

/** One changed file of a diff, from `git diff --raw --numstat -z -M`. */
export interface DiffEntry {
  /** Path on the new side (the old path for a deletion). */
  path: string;
  /** Path on the old side when renamed or copied, else null. */
  oldPath: string | null;
  /** A, M, D, R, C, T, U... without the similarity score. */
  status: string;
  oldMode: string;
  newMode: string;
  /** Full blob ids; all zeros when the side does not exist or is the unhashed working tree. */
  oldBlob: string;
  newBlob: string;
  added: number;
  deleted: number;
  binary: boolean;
  /** A gitlink (submodule commit) on either side. */
  submodule: boolean;
}

const ZERO = /^0+$/;

export function isZeroId(id: string): boolean {
  return ZERO.test(id);
}

/** Parses raw records (`:mode mode blob blob status\0path\0[path\0]`) from `fields[start]` on. */
function parseRaw(fields: readonly string[], start = 0): { entries: DiffEntry[]; next: number } {
  const entries: DiffEntry[] = [];
  let i = start;
  while (i < fields.length && (fields[i] ?? '').startsWith(':')) {
    const meta = (fields[i] ?? '').slice(1).split(' ');
    const [oldMode = '', newMode = '', oldBlob = '', newBlob = '', score = ''] = meta;
    const status = score.charAt(0);
    const twoPaths = status === 'R' || status === 'C';
    const first = fields[i + 1] ?? '';
    const second = twoPaths ? (fields[i + 2] ?? '') : null;
    i += twoPaths ? 3 : 2;
    entries.push({
      path: second ?? first,
      oldPath: twoPaths ? first : null,
      status,
      oldMode,
      newMode,
      oldBlob,
      newBlob,
      added: 0,
      deleted: 0,
      binary: false,
      submodule: oldMode === '160000' || newMode === '160000',
    });
  }
  return { entries, next: i };
}

/**
 * Fills in the counts of `entries` from numstat records (`added\tdeleted\tpath\0`, or
 * `added\tdeleted\t\0old\0new\0` for renames) in the same order, from `fields[start]` on.
 * Returns false when the records do not name the entries' paths one for one.
 */
function applyNumstat(entries: DiffEntry[], fields: readonly string[], start: number): boolean {
  let i = start;
  let consistent = true;
  for (const entry of entries) {
    const record = fields[i] ?? '';
    // `added\tdeleted\tpath`: the path is the rest, which may hold tabs itself.
    const tab1 = record.indexOf('\t');
    const tab2 = tab1 === -1 ? -1 : record.indexOf('\t', tab1 + 1);
    const added = tab1 === -1 ? record : record.slice(0, tab1);
    const deleted = tab1 === -1 ? '' : record.slice(tab1 + 1, tab2 === -1 ? undefined : tab2);
    const inlinePath = tab2 === -1 ? '' : record.slice(tab2 + 1);
    // A rename's numstat record has an empty path followed by the two paths as fields.
    const twoPaths = tab2 !== -1 && inlinePath === '';
    if ((twoPaths ? fields[i + 2] : inlinePath) !== entry.path) consistent = false;
    i += twoPaths ? 3 : 1;
    entry.binary = added === '-' && deleted === '-';
    entry.added = entry.binary ? 0 : Number(added) || 0;
    entry.deleted = entry.binary ? 0 : Number(deleted) || 0;
  }
  return consistent && i === fields.length;
}

/**
 * Parses the output of `git diff --raw --numstat -z`: every raw record first, then every numstat
 * record, in the same order.
 */
export function parseRawNumstat(stdout: string): DiffEntry[] {
  const fields = splitNul(stdout);
  const { entries, next } = parseRaw(fields);
  applyNumstat(entries, fields, next);
  return entries;
}

const DIFF_FLAGS = [
  'diff',
  '-z',
  '-M',
  '--no-abbrev',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--ignore-submodules=none',
];

/**
 * The files changed between two commits (`to` given) or between a commit and the working tree
 * (`to` null, tracked files only). `threeDot` diffs from the merge base, as a PR shows it.
 */
export async function diffFiles(
  cwd: string,
  range: { from: string; to: string | null; threeDot?: boolean },
): Promise<DiffEntry[]> {
  const revs =
    range.to === null
      ? [range.from]
      : range.threeDot
        ? [`${range.from}...${range.to}`]
        : [range.from, range.to];
  const { stdout } = await runGit(
    [...DIFF_FLAGS, '--raw', '--numstat', '--end-of-options', ...revs, '--'],
    { cwd },
  );
  return parseRawNumstat(stdout);
}

/**
 * What `base...rev` resolves to: both ends as commits and their first merge base (null: they
 * share no history); or a name git resolved by picking one of several refs it names (git warns
 * and goes on, so a `origin/main` branch would silently stand in for the remote-tracking one);
 * or no answer (either name is no commit).
 */
export type RangeResolution =
  | { status: 'resolved'; base: string; head: string; mergeBase: string | null }
  | { status: 'ambiguous'; name: string }
  | { status: 'unresolved' };

/**
 * Resolves `base...rev` in one process instead of a rev-parse and a merge-base: `rev-parse A...B`
 * prints B, A, then `^<id>` for each merge base, the first being the one `git merge-base A B`
 * prints and `git diff A...B` diffs from. Both must be single revisions (no `..` in either).
 */
export async function resolveRange(
  cwd: string,
  base: string,
  rev: string,
): Promise<RangeResolution> {
  const { stdout, stderr, exitCode } = await runGit(
    [
      // git warns about an ambiguous name only with this on (the default, but a user may not).
      '-c',
      'core.warnAmbiguousRefs=true',
      'rev-parse',
      '--end-of-options',
      `${base}^{commit}...${rev}^{commit}`,
      '--',
    ],
    { cwd, okCodes: [128] },
  );
  const ambiguous = ambiguousName(stderr);
  if (ambiguous !== null) return { status: 'ambiguous', name: ambiguous };
  if (exitCode !== 0) return { status: 'unresolved' };
  // rev-parse echoes the two separators; the ids are the other lines.
  const lines = stdout.split('\n');
  const ids = lines.filter(isObjectId);
  const [head, baseId] = ids;
  if (ids.length !== 2 || head === undefined || baseId === undefined) {
    return { status: 'unresolved' };
  }
  const mergeBases = lines.filter((l) => l.startsWith('^') && isObjectId(l.slice(1)));
  return { status: 'resolved', base: baseId, head, mergeBase: mergeBases[0]?.slice(1) ?? null };
}
