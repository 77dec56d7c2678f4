import path from 'node:path';
import { ExitCode, TmcError } from '../errors.js';
import type { Repo } from '../repo.js';
import type { Clock } from '../util/clock.js';
import type { ClaimRecord } from './record.js';
import { refMayExist } from '../git/index.js';
import { identityOfGitDir } from '../worktrees/identity.js';
import { claimRef } from './ref-store.js';
import { readLocal, storeOf, swap } from './store.js';

/**
 * The heartbeat policy, applied after every command (src/cli/action.ts): every command the owner
 * of a claimed worktree runs there renews the claim's heartbeat, a refused one included (a gate
 * over the limit, a claim refused: the owner is alive); bad input changes nothing on disk, the
 * heartbeat included. Never fails the command: outside a repository, or when git fails, the
 * command's own result stands.
 */
export async function heartbeatAfter(
  failure: unknown,
  repo: () => Promise<Repo>,
  agent: string,
  clock: Clock,
): Promise<void> {
  if (failure instanceof TmcError && failure.exitCode === ExitCode.usage) return;
  try {
    await renewHeartbeat(await repo(), agent, clock());
  } catch {
    // Outside a repository, or git failed: the command's own result stands.
  }
}

/**
 * Whether a heartbeat written at `heartbeat` is due for renewal at `now`: after a tenth of the
 * TTL, at most five minutes. Fresher, it spares the object store a blob per command.
 */
export function heartbeatDue(record: Pick<ClaimRecord, 'heartbeat' | 'ttlMs'>, now: Date): boolean {
  const every = Math.min(5 * 60_000, record.ttlMs / 10);
  return now.getTime() - Date.parse(record.heartbeat) >= every;
}

/**
 * Renews the heartbeat of `agent`'s claim on the worktree `repo` runs in. Costs no git process
 * when the worktree has no claim ref (most runs of lines, check and the hook), one for-each-ref
 * when there is nothing else to renew, and never throws: a command must not fail because its heartbeat
 * could not be written. Only a claim that holds this very worktree is renewed: not an orphaned
 * one, not a removal's.
 */
async function renewHeartbeat(repo: Repo, agent: string, now: Date): Promise<boolean> {
  try {
    const name = path.basename(repo.toplevel);
    if (!(await refMayExist(repo.commonDir, claimRef(name)))) return false;
    // The local ref (under remote coordination, the mirror of the remote's last answer): a
    // command with nothing to renew costs no network, and a renewal at most one push.
    const current = await readLocal(repo, name);
    if (!current || current.record.agent !== agent || current.record.removing) return false;
    if (!heartbeatDue(current.record, now)) return false;
    const { worktreeId } = current.record;
    if (worktreeId !== null) {
      if ((await identityOfGitDir(repo.gitDir, repo.commonDir)) !== worktreeId) return false;
    }
    const next = { ...current.record, heartbeat: now.toISOString() };
    // One attempt: if the claim changed (taken over, released), that change wins.
    return (await swap(await storeOf(repo, true), next, current.oid)).swapped;
  } catch {
    return false;
  }
}
