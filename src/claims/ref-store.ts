import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  compareAndDeleteRef,
  compareAndSwapRef,
  readRefValue,
  readRefValues,
  writeBlob,
  type SwapResult,
} from '../git/index.js';
import type { Repo } from '../repo.js';
import { randomHex } from '../util/random.js';

/**
 * Where claims are stored, as compare-and-swap registers, one per worktree name. "local": the
 * refs refs/tmc-orch/claims/<name> of this clone (blobs). "remote" (remote-store.ts):
 * the same refs on the git remote (commits), which the server changes by compare-and-swap, with
 * the local refs as a mirror of what the remote last said. The claims module decides; a store
 * only reads and swaps.
 */

export const CLAIM_REF_PREFIX = 'refs/tmc-orch/claims/';

export interface StoredValue {
  /** The object the ref points at: what a swap expects. */
  oid: string;
  /** The claim record's JSON text. */
  text: string;
}

export interface ClaimStore {
  readonly kind: 'local' | 'remote';
  /** The claim ref of `name`; null when there is none. */
  read(name: string): Promise<StoredValue | null>;
  /** Every claim, by worktree name. */
  list(): Promise<Map<string, StoredValue>>;
  /** Stores a record's text as an object (not yet pointed at); returns its id. */
  write(text: string): Promise<string>;
  /** Points `name` at `oid` only if it holds `expected` (null: only if there is none). */
  swap(name: string, oid: string, expected: string | null): Promise<SwapResult>;
  /** Deletes the claim of `name` only if it holds `expected`. */
  remove(name: string, expected: string): Promise<SwapResult>;
}

export function claimRef(worktree: string): string {
  return `${CLAIM_REF_PREFIX}${worktree}`;
}

/**
 * The record text in a claim object: a blob is the record; a commit (remote mode, and its local
 * mirror) carries it as the first line of its message.
 */
export function recordText(content: string): string {
  if (!content.startsWith('tree ')) return content;
  const body = content.indexOf('\n\n');
  if (body === -1) return '';
  const message = content.slice(body + 2);
  const eol = message.indexOf('\n');
  return eol === -1 ? message : message.slice(0, eol);
}

/**
 * This clone's identity in a claim record: a worktree identity means something only in the clone
 * that made it, so a claim another clone took is judged by its name there (see store.ts). The
 * host name and path are for people; the random token, made once per clone and kept in its
 * common git dir, is what tells clones apart: containers often share both a host name (host
 * networking, a fixed hostname) and the path of their checkout, and a claim of another clone
 * taken for this one's would count as orphaned here and be taken over while alive.
 */
export function cloneId(repo: Pick<Repo, 'commonDir'>): string {
  return `${hostname()}:${repo.commonDir}#${cloneToken(repo.commonDir, true)}`;
}

/**
 * This clone's identity if it has written a claim under it; null when it never has (then every
 * record that names a clone was written by another one, or by an older version of tmc-orch).
 * Reading never creates the token: a read-only command changes nothing on disk.
 */
export function knownCloneId(repo: Pick<Repo, 'commonDir'>): string | null {
  const token = cloneToken(repo.commonDir, false);
  return token === null ? null : `${hostname()}:${repo.commonDir}#${token}`;
}

const CLONE_TOKEN_FILE = 'tmc-orch-clone-id';

function cloneToken(commonDir: string, create: true): string;
function cloneToken(commonDir: string, create: false): string | null;
function cloneToken(commonDir: string, create: boolean): string | null {
  const file = path.join(commonDir, CLONE_TOKEN_FILE);
  const read = () => {
    try {
      const token = readFileSync(file, 'utf8').trim();
      return /^[0-9a-f]{16,}$/.test(token) ? token : null;
    } catch {
      return null;
    }
  };
  const found = read();
  if (found !== null || !create) return found;
  // Written whole beside it, then linked into place: link fails if the file exists, so of two
  // processes making it at once one wins and the other reads the winner's token, never half of it.
  const temporary = `${file}.${process.pid}.${randomHex(4)}`;
  try {
    writeFileSync(temporary, `${randomHex(12)}\n`, { flag: 'wx' });
    linkSync(temporary, file);
  } catch {
    // Made meanwhile by another process (or unwritable: then the read below says so).
  } finally {
    rmSync(temporary, { force: true });
  }
  const made = read();
  if (made === null) throw new Error(`could not read or create ${file}`);
  return made;
}

/** The claim refs of this clone, read and swapped in place. */
export function localClaimStore(repo: Pick<Repo, 'commonDir'>): ClaimStore {
  const cwd = repo.commonDir;
  return {
    kind: 'local',
    async read(name) {
      const value = await readRefValue(cwd, claimRef(name));
      return value ? { oid: value.oid, text: recordText(value.content) } : null;
    },
    async list() {
      const values = await readRefValues(cwd, CLAIM_REF_PREFIX);
      return new Map(
        values.map((v) => [
          v.ref.slice(CLAIM_REF_PREFIX.length),
          { oid: v.oid, text: recordText(v.content) },
        ]),
      );
    },
    write: (text) => writeBlob(cwd, text),
    swap: (name, oid, expected) => compareAndSwapRef(cwd, claimRef(name), oid, expected),
    remove: (name, expected) => compareAndDeleteRef(cwd, claimRef(name), expected),
  };
}
