import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { RemoteError, TmcError } from '../errors.js';
import type { Repo } from '../repo.js';
import type { Claim } from '../claims/record.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';
import { randomHex } from '../util/random.js';

/**
 * `tmc-orch doctor`: what can go wrong in either coordination mode, each finding with the command
 * that mends it. The findings are a pure function of what was read (findings()); the reading and
 * the remote probe are the IO around it. A fix is "safe" when it cannot lose anyone's work or
 * claim: dropping a claim whose worktree is gone (it counts as released already), and removing a
 * claim's lock mirror that no claim backs (the claim ref decides, the lock only follows).
 */

export type Finding =
  | { kind: 'hook-off'; worktree: string; problem: string; fix: string; safe: false }
  | { kind: 'orphaned-claim'; worktree: string; agent: string; fix: string; safe: true }
  | { kind: 'lock-without-claim'; worktree: string; path: string; fix: string; safe: true }
  | { kind: 'ref-lock-file'; file: string; fix: string; safe: false }
  | { kind: 'remote'; problem: string; fix: string; safe: false };

export interface DoctorInput {
  hooks: readonly { worktree: string; runs: boolean; problem: string | null }[];
  claims: readonly Claim[];
  worktrees: readonly WorktreeInfo[];
  /** Whether a lock reason is a claim's mirror (claims.ts isMirrorLock). */
  isMirrorLock: (reason: string | null) => boolean;
  lockFiles: readonly string[];
}

export function findings(input: DoctorInput): Finding[] {
  const result: Finding[] = [];
  for (const h of input.hooks) {
    if (!h.runs) {
      result.push({
        kind: 'hook-off',
        worktree: h.worktree,
        problem: h.problem ?? 'the pre-push gate does not run',
        fix: 'tmc-orch hooks install',
        safe: false,
      });
    }
  }
  for (const c of input.claims) {
    // A removal's own claim is orphaned only between git's removal and the claim's deletion; one
    // that stays so was left by a killed removal, and worktree clean no longer sees its worktree.
    if (c.orphaned) {
      result.push({
        kind: 'orphaned-claim',
        worktree: c.worktree,
        agent: c.agent,
        fix: `tmc-orch release ${c.worktree}`,
        safe: true,
      });
    }
  }
  const held = new Set(input.claims.filter((c) => !c.orphaned).map((c) => c.path));
  for (const wt of input.worktrees) {
    if (!wt.main && input.isMirrorLock(wt.locked) && !held.has(wt.path)) {
      result.push({
        kind: 'lock-without-claim',
        worktree: wt.name,
        path: wt.path,
        fix: `git worktree unlock ${wt.path}`,
        safe: true,
      });
    }
  }
  for (const file of input.lockFiles) {
    result.push({
      kind: 'ref-lock-file',
      file,
      fix: `if no git or tmc-orch process is running: rm ${file}`,
      safe: false,
    });
  }
  return result;
}

/** `<ref>.lock` files left under refs/tmc-orch/ (by a killed git). */
export async function refLockFiles(repo: Pick<Repo, 'commonDir'>): Promise<string[]> {
  const root = path.join(repo.commonDir, 'refs', 'tmc-orch');
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.name.endsWith('.lock')) found.push(full);
    }
  }
  await walk(root);
  return found.sort();
}

export interface RemoteCheck {
  /** Null when all is well. */
  finding: Extract<Finding, { kind: 'remote' }> | null;
  /** False when the remote could not be reached at all (then the claims are read locally). */
  reachable: boolean;
}

/**
 * Coordination "remote": whether the remote's namespace can be listed and written, by pushing a
 * probe ref and deleting it (each by lease): a host may refuse the ref, or only its deletion.
 */
export async function remoteProblem(repo: Repo): Promise<RemoteCheck> {
  const { listRemote, pushWithLease, refusedNamespaceError, remoteTarget } =
    await import('../remote/transport.js');
  const { messageCommit } = await import('../git/commit.js');
  // Until the listing answers, the claims cannot be read from the remote (a missing remote
  // included): the other checks then read the mirror.
  let listed = false;
  try {
    const target = remoteTarget(repo);
    const { namespace } = repo.config.remoteCoordination;
    await listRemote(target, `${namespace}claims/`);
    listed = true;
    const probe = await messageCommit(repo.commonDir, 'tmc-orch doctor probe\n');
    const ref = `${namespace}doctor/${randomHex(6)}`;
    const pushed = await pushWithLease(target, [{ ref, newOid: probe, expected: null }]);
    if (pushed.status === 'rejected') {
      const error = refusedNamespaceError(repo, pushed.reason);
      return { finding: remoteFinding(error.message), reachable: true };
    }
    const deleted = await pushWithLease(target, [{ ref, newOid: null, expected: probe }]);
    if (deleted.status === 'rejected') {
      const error = refusedNamespaceError(repo, deleted.reason, true);
      return {
        finding: remoteFinding(`${error.message} (the probe ${ref} stays there)`),
        reachable: true,
      };
    }
    return { finding: null, reachable: true };
  } catch (error) {
    if (!(error instanceof TmcError)) throw error;
    return {
      finding: remoteFinding(error.message),
      reachable: listed && !(error instanceof RemoteError),
    };
  }
}

function remoteFinding(message: string): Extract<Finding, { kind: 'remote' }> {
  return { kind: 'remote', problem: message, fix: fixOf(message), safe: false };
}

/** The part of a message after its last "; ": our messages end with the next step. */
function fixOf(message: string): string {
  const at = message.lastIndexOf('; ');
  return at === -1 ? message : message.slice(at + 2);
}
