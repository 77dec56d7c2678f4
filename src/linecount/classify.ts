import { open } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import {
  attributeFilesFor,
  checkAttr,
  checkAttrFrom,
  isZeroId,
  readTypedObjects,
  withCommitIndex,
  type AttrValue,
  type DiffEntry,
} from '../git/index.js';
import type { Repo } from '../repo.js';
import {
  GENERATED_FILES,
  GeneratedFilesError,
  emptyGeneratedFiles,
  parseGeneratedFiles,
  parsePathList,
  type GeneratedFiles,
} from './generated-files.js';
import { Rules, headOf } from './rules.js';

/**
 * Which changed files of a PR count, and for how many lines: each file of the diff is judged
 * generated or hand-written by the rules as they are at the merge base (rules.ts decides), from
 * its path, its linguist-generated attribute and its head.
 */

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
 * The files of a diff from the merge base `mb`, each with its verdict and the lines it counts
 * for. Changes to the rule files always count. Git processes, never one per file: one cat-file
 * (`.generated_files`, the merge base's `.gitattributes` and the heads of the changed files; a
 * second only when `.generated_files` uses paths-from-repo), one check-attr.
 */
export async function classifyFiles(
  repo: Repo,
  mb: string,
  entries: readonly DiffEntry[],
): Promise<LineFile[]> {
  const cwd = repo.toplevel;
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
  // Rule 1: linguist-generated, as the merge base's .gitattributes say. Started first: the rules
  // below are compiled while git answers.
  const checking: Promise<Map<string, AttrValue>> = viaIndex
    ? withCommitIndex(cwd, mb, (indexFile) =>
        checkAttr(cwd, 'linguist-generated', attrPaths, { indexFile }),
      )
    : checkAttrFrom(repo.gitDir, 'linguist-generated', attrPaths, attrContents);
  // Awaited below; a failure meanwhile must not count as unhandled.
  checking.catch(() => undefined);

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
  const attrs = await checking;

  return entries.map((entry, i) => {
    const content = entry.binary ? null : heads[i];
    const head = content ? headOf(content) : null;
    return classifyEntry(entry, { attrs, head }, rules, config.lines.count);
  });
}

/**
 * One changed file's verdict and the lines it counts for, from what was read of it: its
 * `linguist-generated` values (by path) and its head (null for binaries, submodules and files
 * not read). A rename is judged by its new path, then by its old one: a file moved out of a
 * generated place stays generated, and one moved away from a rule file is a change to the rules.
 * A submodule counts no lines.
 */
export function classifyEntry(
  entry: Pick<DiffEntry, 'path' | 'oldPath' | 'added' | 'deleted' | 'binary' | 'submodule'>,
  read: { attrs: ReadonlyMap<string, AttrValue>; head: string | null },
  rules: Rules,
  count: 'changed' | 'added',
): LineFile {
  const { attrs, head } = read;
  let verdict = rules.decide({ path: entry.path, attr: attrs.get(entry.path), head });
  if (entry.oldPath !== null && rules.isRuleFile(entry.oldPath)) {
    verdict = rules.decide({ path: entry.oldPath, attr: undefined, head: null });
  } else if (!verdict.generated && entry.oldPath !== null) {
    const old = rules.decide({ path: entry.oldPath, attr: attrs.get(entry.oldPath), head: null });
    if (old.generated) verdict = { generated: true, reason: `${old.reason} (old path)` };
  }
  const added = entry.submodule ? 0 : entry.added;
  const deleted = entry.submodule ? 0 : entry.deleted;
  const lines = verdict.generated ? 0 : count === 'added' ? added : added + deleted;
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
}
