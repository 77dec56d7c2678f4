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

/**
 * Reads one ref and the content of the object it points at, in one git process (the object id
 * and the content always belong together: objects never change). Null when the ref is missing.
 */
export async function readRefValue(cwd: string, ref: string): Promise<RefValue | null> {
  const { stdout } = await runGit(
    ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(raw)', '--end-of-options', ref],
    { cwd },
  );
  // for-each-ref matches whole path components, so only `ref` itself (or refs below it) can show.
  const head = `${ref}\0`;
  if (!stdout.startsWith(head)) return null;
  const rest = stdout.slice(head.length);
  const nul = rest.indexOf('\0');
  if (nul === -1) return null;
  // for-each-ref ends each record with a newline after the raw content.
  return { oid: rest.slice(0, nul), content: rest.slice(nul + 1).replace(/\n$/, '') };
}

/**
 * Every ref below `prefix` with the content of its object, in one git process. A record ends in
 * NUL NUL: the contents this module writes (JSON) never hold a NUL, and a record that does not
 * parse (a hand-made blob) is skipped rather than shifting the others.
 */
export async function readRefValues(
  cwd: string,
  prefix: string,
): Promise<{ ref: string; oid: string; content: string }[]> {
  const { stdout } = await runGit(
    [
      'for-each-ref',
      '--format=%(objectname) %(refname)%00%(raw)%00%00',
      '--end-of-options',
      prefix,
    ],
    { cwd },
  );
  const result: { ref: string; oid: string; content: string }[] = [];
  for (const record of stdout.split('\0\0\n')) {
    const match = /^([0-9a-f]{40,64}) ([^\0]+)\0([^]*)$/.exec(record);
    if (!match?.[1] || !match[2] || !match[2].startsWith(prefix)) continue;
    result.push({ oid: match[1], ref: match[2], content: match[3] ?? '' });
  }
  return result;
}

export interface SwapResult {
  swapped: boolean;
  reason: string;
}

/**
 * Sets `ref` to `newOid` only if it still points at `expectedOid` (null: only if it does not
 * exist yet). Not swapped when the ref changed under us or another process held its lock; `reason`
 * is git's message then.
 */
export async function compareAndSwapRef(
  cwd: string,
  ref: string,
  newOid: string,
  expectedOid: string | null,
): Promise<SwapResult> {
  const { exitCode, stderr } = await runGit(['update-ref', ref, newOid, expectedOid ?? ''], {
    cwd,
    okCodes: [1, 128],
  });
  return { swapped: exitCode === 0, reason: stderr.trim() };
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
