import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit, runGitBytes, splitNul } from './run.js';

/**
 * What a commit holds, read without a checkout: many objects in one `git cat-file --batch`, and
 * the attributes of its `.gitattributes` through a throw-away index or work tree.
 */

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
