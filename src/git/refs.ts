import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readObjects } from './objects.js';
import { runGit } from './run.js';

/**
 * Refs as small compare-and-swap registers: a ref points at a blob holding a value. Refs outside
 * refs/heads, refs/bisect and refs/worktree live in the common git dir, so every worktree sees the
 * same register, and `git update-ref <ref> <new> <old>` changes it only if it still holds <old>.
 */

/** Writes `content` as a blob into the object store and returns its object id. */
export async function writeBlob(cwd: string, content: string): Promise<string> {
  const { stdout } = await runGit(['hash-object', '-w', '--stdin'], { cwd, input: content });
  return stdout.trim();
}

export interface RefValue {
  /** The object the ref points at. */
  oid: string;
  /** That object's raw content. */
  content: string;
}

/** The refs below `prefix` (or `prefix` itself) and the objects they point at. */
async function listRefs(cwd: string, prefix: string): Promise<{ ref: string; oid: string }[]> {
  const { stdout } = await runGit(
    ['for-each-ref', '--format=%(objectname) %(refname)', '--end-of-options', prefix],
    { cwd },
  );
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const space = l.indexOf(' ');
      return { oid: l.slice(0, space), ref: l.slice(space + 1) };
    });
}

/** Whether reading a file failed because there is nothing at its path. */
function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * False only when `ref` (a full name under refs/, in the common git dir) certainly does not exist:
 * the files ref store, no loose ref file and no line in packed-refs. Anything else (a reftable
 * store, a file that cannot be read) is true, and git is asked. Spares the hot paths (lines, the
 * pre-push hook) a git process for a ref that is usually not there: a claim's, for the heartbeat.
 */
export async function refMayExist(commonDir: string, ref: string): Promise<boolean> {
  try {
    await stat(path.join(commonDir, 'reftable'));
    return true;
  } catch (error) {
    if (!isAbsent(error)) return true;
  }
  try {
    await stat(path.join(commonDir, ref));
    return true;
  } catch (error) {
    if (!isAbsent(error)) return true;
  }
  let packed: string;
  try {
    packed = await readFile(path.join(commonDir, 'packed-refs'), 'utf8');
  } catch (error) {
    return !isAbsent(error);
  }
  // Lines are `<oid> <refname>`; a peeled `^<oid>` line follows a tag's.
  return packed.includes(` ${ref}\n`) || packed.endsWith(` ${ref}`);
}

/**
 * Reads one ref and the content of the object it points at; null when the ref is missing. One
 * git process when there is no ref, two when there is (for-each-ref's %(raw) would do it in one
 * but needs git 2.36). The pair is consistent: an object id always names the same content.
 */
export async function readRefValue(cwd: string, ref: string): Promise<RefValue | null> {
  const found = (await listRefs(cwd, ref)).find((r) => r.ref === ref);
  if (!found) return null;
  // -p: the raw content of a blob, or of a commit (remote coordination's claims).
  const { stdout, exitCode } = await runGit(['cat-file', '-p', found.oid], {
    cwd,
    okCodes: [128],
  });
  return { oid: found.oid, content: exitCode === 0 ? stdout : '' };
}

/** Every ref below `prefix` with the content of its object, in two git processes. */
export async function readRefValues(
  cwd: string,
  prefix: string,
): Promise<{ ref: string; oid: string; content: string }[]> {
  const refs = await listRefs(cwd, prefix);
  if (refs.length === 0) return [];
  // The one batch reader (objects.ts): sizes are bytes there, so a value is never cut short.
  const contents = await readObjects(
    cwd,
    refs.map((r) => r.oid),
  );
  return refs.map((r) => ({ ...r, content: contents.get(r.oid)?.toString('utf8') ?? '' }));
}

export interface SwapResult {
  swapped: boolean;
  reason: string;
}

/**
 * Sets `ref` to `newOid` only if it still points at `expectedOid` (null: only if it does not
 * exist yet). Not swapped when the ref changed under us or another process held its lock; `reason`
 * is git's message then. `reflog`: the message of the ref's reflog entry (a branch's), if any.
 */
export async function compareAndSwapRef(
  cwd: string,
  ref: string,
  newOid: string,
  expectedOid: string | null,
  reflog?: string,
): Promise<SwapResult> {
  const message = reflog === undefined ? [] : ['-m', reflog];
  const { exitCode, stderr } = await runGit(
    ['update-ref', ...message, ref, newOid, expectedOid ?? ''],
    { cwd, okCodes: [1, 128] },
  );
  return { swapped: exitCode === 0, reason: stderr.trim() };
}

/** Sets `ref` to `oid` whatever it pointed at: for records where the latest write wins. */
export async function setRef(cwd: string, ref: string, oid: string): Promise<void> {
  await runGit(['update-ref', ref, oid], { cwd });
}

/** Deletes `ref` only if it still points at `expectedOid` (see compareAndSwapRef). */
export async function compareAndDeleteRef(
  cwd: string,
  ref: string,
  expectedOid: string,
): Promise<SwapResult> {
  const { exitCode, stderr } = await runGit(['update-ref', '-d', ref, expectedOid], {
    cwd,
    okCodes: [1, 128],
  });
  return { swapped: exitCode === 0, reason: stderr.trim() };
}

/**
 * Creates every ref of `refs`, or none: one `git update-ref --stdin` transaction, whose `create`
 * fails when a ref exists already (made meanwhile by someone else). `reason` is git's message.
 */
export async function createRefs(
  cwd: string,
  refs: readonly { ref: string; oid: string }[],
): Promise<SwapResult> {
  const input = refs.map((r) => `create ${r.ref} ${r.oid}\n`).join('');
  const { exitCode, stderr } = await runGit(['update-ref', '--stdin'], {
    cwd,
    input,
    okCodes: [1, 128],
  });
  return { swapped: exitCode === 0, reason: stderr.trim() };
}

/** Every local branch, by short name (`refs/heads/` dropped). */
export async function localBranches(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['for-each-ref', '--format=%(refname)', '--end-of-options', 'refs/heads/'],
    { cwd },
  );
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('refs/heads/'))
    .map((l) => l.slice('refs/heads/'.length));
}
