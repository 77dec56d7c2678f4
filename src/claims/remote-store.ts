import { runGit } from '../git/run.js';
import { readObjects } from '../git/objects.js';
import { messageCommit } from '../git/commit.js';
import type { SwapResult } from '../git/refs.js';
import type { Repo } from '../repo.js';
import {
  CLAIM_REF_PREFIX,
  claimRef,
  recordText,
  type ClaimStore,
  type StoredValue,
} from './ref-store.js';
import {
  fetchObjects,
  listRemote,
  pushWithLease,
  refusedNamespaceError,
  remoteTarget,
  type RefUpdate,
} from '../remote/transport.js';
import { randomHex } from '../util/random.js';

/**
 * The claim store of remote coordination. The claim of worktree <name> is the ref
 * `<namespace>claims/<name>` on the remote (namespace: refs/tmc-orch/, or refs/heads/tmc-orch/
 * on hosts that refuse other refs), pointing at a commit with no parent and the empty tree whose
 * message is the claim record and a random nonce: hosts may refuse refs to bare blobs, and the
 * nonce makes every write a new object, so a lease never mistakes an old claim for a new one.
 *
 * A read is one ls-remote, plus one fetch of the commits not here yet; a change is one push with
 * a lease on the value read. The remote decides: the local refs refs/tmc-orch/claims/<name>
 * follow its every answer (a read or a landed push), so the git worktree lock mirror, the
 * heartbeat and --offline read what the remote last said.
 */

/** The raw content of commits, in one cat-file --batch whatever their number ('' if missing). */
async function commitMessages(cwd: string, oids: readonly string[]): Promise<Map<string, string>> {
  const contents = await readObjects(cwd, oids);
  return new Map([...new Set(oids)].map((oid) => [oid, contents.get(oid)?.toString('utf8') ?? '']));
}

/** Makes the local claim refs say what the remote said (best effort: the remote decides). */
async function mirror(
  cwd: string,
  values: ReadonlyMap<string, string | null>,
  deleteOthers: boolean,
): Promise<void> {
  let input = '';
  for (const [name, oid] of values) {
    input += oid === null ? `delete ${claimRef(name)}\n` : `update ${claimRef(name)} ${oid}\n`;
  }
  if (deleteOthers) {
    const { stdout } = await runGit(
      ['for-each-ref', '--format=%(refname)', '--end-of-options', CLAIM_REF_PREFIX],
      { cwd },
    );
    for (const ref of stdout.split('\n')) {
      if (ref !== '' && !values.has(ref.slice(CLAIM_REF_PREFIX.length))) input += `delete ${ref}\n`;
    }
  }
  if (input === '') return;
  await runGit(['update-ref', '--stdin'], { cwd, input, okCodes: [1, 128] }).catch(() => undefined);
}

export function remoteClaimStore(repo: Repo): ClaimStore {
  const target = remoteTarget(repo);
  const prefix = `${repo.config.remoteCoordination.namespace}claims/`;
  const cwd = repo.commonDir;
  const remoteRef = (name: string) => `${prefix}${name}`;

  async function values(refs: Map<string, string>): Promise<Map<string, StoredValue>> {
    await fetchObjects(target, [...refs.values()]);
    const contents = await commitMessages(cwd, [...refs.values()]);
    const result = new Map<string, StoredValue>();
    for (const [ref, oid] of refs) {
      result.set(ref.slice(prefix.length), { oid, text: recordText(contents.get(oid) ?? '') });
    }
    return result;
  }

  async function push(update: RefUpdate, name: string): Promise<SwapResult> {
    const outcome = await pushWithLease(target, [update]);
    if (outcome.status === 'pushed') {
      await mirror(cwd, new Map([[name, update.newOid]]), false);
      return { swapped: true, reason: '' };
    }
    // Lost the race, or the host refuses the ref: a lease that still holds tells them apart.
    const now = (await listRemote(target, update.ref)).get(update.ref) ?? null;
    if (now === update.expected) {
      throw refusedNamespaceError(repo, outcome.reason, update.newOid === null);
    }
    // The local ref follows the remote's answer, a refusal's too: a heartbeat that lost to a
    // take-over must not find its own claim in the mirror and push again at the next command.
    try {
      if (now !== null) await fetchObjects(target, [now]);
      await mirror(cwd, new Map([[name, now]]), false);
    } catch {
      // Best effort: the next read mirrors it.
    }
    return { swapped: false, reason: outcome.reason };
  }

  return {
    kind: 'remote',
    async read(name) {
      const refs = await listRemote(target, remoteRef(name));
      const oid = refs.get(remoteRef(name));
      if (oid === undefined) {
        await mirror(cwd, new Map([[name, null]]), false);
        return null;
      }
      const found = await values(new Map([[remoteRef(name), oid]]));
      await mirror(cwd, new Map([[name, oid]]), false);
      return found.get(name) ?? null;
    },
    async list() {
      const found = await values(await listRemote(target, prefix));
      await mirror(cwd, new Map([...found].map(([name, v]) => [name, v.oid])), true);
      return found;
    },
    write: (text) => messageCommit(cwd, `${text}\n\ntmc-orch-nonce: ${randomHex(12)}\n`),
    swap: (name, oid, expected) => push({ ref: remoteRef(name), newOid: oid, expected }, name),
    remove: (name, expected) => push({ ref: remoteRef(name), newOid: null, expected }, name),
  };
}
