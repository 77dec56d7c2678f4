import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ambiguousName, runGit, runGitBytes, splitNul } from './run.js';
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

/** An attribute's state as `git check-attr` reports it. */
export type AttrValue = 'set' | 'unset' | 'unspecified' | string;

/**
 * One attribute for many paths in one `git check-attr --stdin -z` process. With `indexFile`,
 * attributes come from that index only (`--cached`): the way to read `.gitattributes` as they are
 * at a commit on git < 2.40, which has no `--source` (see also checkAttrFrom).
 */
export async function checkAttr(
  cwd: string,
  attr: string,
  paths: readonly string[],
  options: { indexFile?: string } = {},
): Promise<Map<string, AttrValue>> {
  const args = options.indexFile ? ['--cached'] : [];
  const env = options.indexFile ? { GIT_INDEX_FILE: options.indexFile } : undefined;
  return runCheckAttr(cwd, attr, paths, args, env);
}

async function runCheckAttr(
  cwd: string,
  attr: string,
  paths: readonly string[],
  extraArgs: readonly string[],
  env: Record<string, string> | undefined,
): Promise<Map<string, AttrValue>> {
  const result = new Map<string, AttrValue>();
  if (paths.length === 0) return result;
  // With --stdin every argument is an attribute name; no '--' (git would read it as one).
  const { stdout } = await runGit(['check-attr', '--stdin', '-z', ...extraArgs, attr], {
    cwd,
    input: paths.map((p) => `${p}\0`).join(''),
    ...(env ? { env } : {}),
  });
  const fields = splitNul(stdout);
  for (let i = 0; i + 2 < fields.length + 1; i += 3) {
    const file = fields[i];
    const value = fields[i + 2];
    if (file !== undefined && value !== undefined) result.set(file, value);
  }
  return result;
}

/**
 * The `.gitattributes` files git consults for `paths` (repository-relative): the root's and one
 * in every folder above each path.
 */
export function attributeFilesFor(paths: readonly string[]): string[] {
  const files = new Set<string>(['.gitattributes']);
  for (const file of paths) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      files.add(`${file.slice(0, slash)}/.gitattributes`);
    }
  }
  return [...files];
}

/** A repository-relative path git could hold: no empty, `.` or `..` part, no NUL. */
function isPlainPath(file: string): boolean {
  return file
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && !part.includes('\0'));
}

/**
 * One attribute for many paths, as the given `.gitattributes` files (repository-relative path →
 * content, e.g. a commit's, read with `cat-file`) say, with the repository's info/attributes and
 * the user's as always: check-attr in a throw-away work tree holding only those files, with an
 * empty index. The same answer as `checkAttr` with an index of the commit's tree, without writing
 * that index (read-tree of kcp's 3,500 files) or needing git 2.40's `--source`.
 */
export async function checkAttrFrom(
  gitDir: string,
  attr: string,
  paths: readonly string[],
  files: ReadonlyMap<string, Buffer>,
): Promise<Map<string, AttrValue>> {
  if (paths.length === 0) return new Map();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tmc-orch-attributes-'));
  try {
    const tree = path.join(dir, 'tree');
    await mkdir(tree);
    for (const [file, content] of files) {
      if (!isPlainPath(file)) continue;
      await mkdir(path.dirname(path.join(tree, file)), { recursive: true });
      await writeFile(path.join(tree, file), content);
    }
    return await runCheckAttr(tree, attr, paths, [], {
      GIT_DIR: gitDir,
      GIT_WORK_TREE: tree,
      // No such file: an empty index, so that nothing but the files above is read.
      GIT_INDEX_FILE: path.join(dir, 'index'),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` with a throw-away index holding the tree of `commit` (`git read-tree`), so that
 * `check-attr --cached` sees the `.gitattributes` files of that commit, not of the checkout.
 */
export async function withCommitIndex<T>(
  cwd: string,
  commit: string,
  fn: (indexFile: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tmc-orch-index-'));
  const indexFile = path.join(dir, 'index');
  try {
    await runGit(['read-tree', `${commit}^{tree}`], { cwd, env: { GIT_INDEX_FILE: indexFile } });
    return await fn(indexFile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An object `cat-file --batch` read: its type (blob, tree, commit, tag) and raw content. */
export interface GitObject {
  type: string;
  content: Buffer;
}

/**
 * The contents of many objects (`<blob id>` or `<rev>:<path>`) in one `git cat-file --batch`
 * process; null for a missing object. Raw bytes: sizes in the batch output are byte counts.
 */
export async function readObjects(
  cwd: string,
  specs: readonly string[],
): Promise<Map<string, Buffer | null>> {
  const typed = await readTypedObjects(cwd, specs);
  return new Map([...typed].map(([spec, object]) => [spec, object ? object.content : null]));
}

/** readObjects, with each object's type. */
export async function readTypedObjects(
  cwd: string,
  specs: readonly string[],
): Promise<Map<string, GitObject | null>> {
  const result = new Map<string, GitObject | null>();
  const unique = [...new Set(specs)].filter((s) => !s.includes('\n'));
  if (unique.length === 0) return result;
  // --buffer: one write per buffer-full instead of a flush per object (the input is all there).
  const args = ['cat-file', '--batch', '--buffer'];
  const { stdout: out } = await runGitBytes(args, {
    cwd,
    input: unique.map((s) => `${s}\n`).join(''),
  });
  let offset = 0;
  for (const spec of unique) {
    const eol = out.indexOf(0x0a, offset);
    if (eol === -1) break;
    const header = out.subarray(offset, eol).toString('utf8');
    offset = eol + 1;
    const match = /^[0-9a-f]+ (\S+) (\d+)$/.exec(header);
    if (!match) {
      // `<spec> missing` or `<spec> ambiguous`: no content follows.
      result.set(spec, null);
      continue;
    }
    const size = Number(match[2]);
    result.set(spec, { type: match[1] ?? '', content: out.subarray(offset, offset + size) });
    offset += size + 1;
  }
  return result;
}
