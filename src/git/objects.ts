import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit, runGitBytes, splitNul } from './run.js';

/**
 * What a commit holds, read without a checkout: many objects in one `git cat-file --batch`, and
 * the attributes of its `.gitattributes` through a throw-away index.
 */

/** An attribute's state as `git check-attr` reports it. */
export type AttrValue = 'set' | 'unset' | 'unspecified' | string;

/**
 * One attribute for many paths in one `git check-attr --stdin -z` process. With `indexFile`,
 * attributes come from that index only (`--cached`): the way to read `.gitattributes` as they are
 * at a commit on git < 2.40, which has no `--source`.
 */
export async function checkAttr(
  cwd: string,
  attr: string,
  paths: readonly string[],
  options: { indexFile?: string } = {},
): Promise<Map<string, AttrValue>> {
  const result = new Map<string, AttrValue>();
  if (paths.length === 0) return result;
  const args = ['check-attr', '--stdin', '-z'];
  if (options.indexFile) args.push('--cached');
  // With --stdin every argument is an attribute name; no '--' (git would read it as one).
  args.push(attr);
  const { stdout } = await runGit(args, {
    cwd,
    input: paths.map((p) => `${p}\0`).join(''),
    ...(options.indexFile ? { env: { GIT_INDEX_FILE: options.indexFile } } : {}),
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

/**
 * The contents of many objects (`<blob id>` or `<rev>:<path>`) in one `git cat-file --batch`
 * process; null for a missing object. Raw bytes: sizes in the batch output are byte counts.
 */
export async function readObjects(
  cwd: string,
  specs: readonly string[],
): Promise<Map<string, Buffer | null>> {
  const result = new Map<string, Buffer | null>();
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
    const match = /^[0-9a-f]+ \S+ (\d+)$/.exec(header);
    if (!match) {
      // `<spec> missing` or `<spec> ambiguous`: no content follows.
      result.set(spec, null);
      continue;
    }
    const size = Number(match[1]);
    result.set(spec, out.subarray(offset, offset + size));
    offset += size + 1;
  }
  return result;
}
