import { RefusedError, UsageError } from '../errors.js';
import { shortList } from '../ui/format.js';
import { resolveBase, type Repo } from '../repo.js';
import type { Agent } from '../config/identity.js';
import { isMirrorLock } from '../claims/mirror.js';
import type { OperationKind } from '../git/index.js';
import { integration, type Integration, type IntegrationKind } from './integrated.js';
import { keptIgnoredFiles, operationIn } from './hidden-work.js';
import { removeWorktreeFor } from './remove.js';
import { listWithStatus, type WorktreeListEntry } from './worktrees.js';

/**
 * `worktree clean`: removes every linked worktree whose work is finished (its branch integrated
 * into the base) and that holds nothing else: no claim of another agent, no uncommitted,
 * untracked or non-disposable ignored file, no lock of someone's, then deletes its branch. The
 * survey below only picks candidates; each removal goes through removeWorktreeFor, which checks
 * everything again under the worktree's claim, so work that appears meanwhile is kept too.
 */

export type CleanVerdict =
  { action: 'remove'; how: IntegrationKind } | { action: 'keep'; reason: string };

/** What the survey found about one worktree; the decision is a function of it. */
export interface CleanFacts {
  main: boolean;
  branch: string | null;
  missing: boolean;
  /** The claim's agent, or null when unclaimed (an orphaned claim holds nothing). */
  claimedBy: string | null;
  /** A lock that is not a claim's mirror, e.g. `git worktree lock` by hand. */
  foreignLock: boolean;
  dirty: boolean;
  /** A rebase, merge, cherry-pick, revert or bisect stopped half-way there (git am: rebase). */
  operation: OperationKind | null;
  keptIgnored: readonly string[];
  integration: Integration | null;
}

/**
 * Why `worktree clean` must keep a worktree whatever its branch, or null. `agent` is the acting
 * agent's id when explicit: its own claims do not keep a worktree (they are released), every
 * other claim does, stale or not.
 */
function keepReason(facts: CleanFacts, agent: string | null): string | null {
  if (facts.main) return 'the main worktree';
  if (facts.missing) return 'folder missing; run tmc-orch worktree prune';
  if (!facts.branch) return 'detached HEAD (no branch)';
  if (facts.claimedBy !== null && facts.claimedBy !== agent) return `claimed by ${facts.claimedBy}`;
  if (facts.foreignLock) return 'locked';
  if (facts.dirty) return 'uncommitted or untracked work';
  if (facts.operation) return `${facts.operation} in progress`;
  if (facts.keptIgnored.length > 0) {
    return `ignored files that are not disposable: ${shortList(facts.keptIgnored, 3)}`;
  }
  return null;
}

/** Whether `worktree clean` removes a worktree (see keepReason). */
export function cleanVerdict(facts: CleanFacts, agent: string | null): CleanVerdict {
  const reason = keepReason(facts, agent);
  if (reason !== null) return { action: 'keep', reason };
  if (facts.integration?.status === 'unstarted') {
    return { action: 'keep', reason: 'no work of its own yet (nothing of it to integrate)' };
  }
  if (facts.integration?.status !== 'integrated') {
    return { action: 'keep', reason: 'branch not integrated into the base' };
  }
  return { action: 'remove', how: facts.integration.how };
}

type CleanEntry = {
  name: string;
  path: string;
  branch: string | null;
} & (
  | { action: 'removed'; how: IntegrationKind }
  | { action: 'would-remove'; how: IntegrationKind }
  | { action: 'kept'; reason: string }
);

export interface CleanResult {
  base: string;
  dryRun: boolean;
  worktrees: CleanEntry[];
  warnings: string[];
}

export async function cleanWorktrees(
  repo: Repo,
  options: { dryRun: boolean; agent: Agent },
): Promise<CleanResult> {
  const [list, { base, baseCommit }] = await Promise.all([listWithStatus(repo), resolveBase(repo)]);
  const agent = options.agent.explicit ? options.agent.id : null;
  const entries: CleanEntry[] = [];
  const warnings: string[] = [];
  for (const wt of list.filter((w) => !w.main)) {
    const verdict = cleanVerdict(await factsOf(repo, wt, baseCommit, agent), agent);
    const named = { name: wt.name, path: wt.path, branch: wt.branch };
    if (verdict.action === 'keep') {
      entries.push({ ...named, action: 'kept', reason: verdict.reason });
      continue;
    }
    if (options.dryRun) {
      entries.push({ ...named, action: 'would-remove', how: verdict.how });
      continue;
    }
    try {
      const removed = await removeWorktreeFor(repo, {
        name: wt.name,
        force: false,
        deleteBranch: true,
        agent: options.agent,
        unclaimedOnly: !options.agent.explicit,
        logNote: `removed by worktree clean (branch ${wt.branch ?? ''} ${verdict.how} into ${base})`,
      });
      warnings.push(...removed.warnings);
      entries.push({ ...named, action: 'removed', how: verdict.how });
    } catch (error) {
      // Something changed since the survey (a claim, new work, the worktree removed or its
      // branch switched by someone else): that worktree stays, the others are still looked at.
      if (!(error instanceof RefusedError || error instanceof UsageError)) throw error;
      entries.push({ ...named, action: 'kept', reason: error.message });
    }
  }
  return { base, dryRun: options.dryRun, worktrees: entries, warnings };
}

/** The facts of one worktree, reading no more than the decision needs. */
async function factsOf(
  repo: Repo,
  wt: WorktreeListEntry,
  baseCommit: string | null,
  agent: string | null,
): Promise<CleanFacts> {
  const claim = wt.claim && !wt.claim.orphaned ? wt.claim.agent : null;
  const facts: CleanFacts = {
    main: wt.main,
    branch: wt.branch,
    missing: wt.prunable !== null || wt.dirty === null,
    claimedBy: claim,
    foreignLock: wt.locked !== null && !isMirrorLock(wt.locked),
    dirty: wt.dirty === true,
    operation: await operationIn(wt.path),
    keptIgnored: [],
    integration: null,
  };
  if (keepReason(facts, agent) !== null) return facts;
  facts.keptIgnored = await keptIgnoredFiles(repo, wt);
  if (facts.keptIgnored.length > 0 || !wt.head || !baseCommit) return facts;
  facts.integration = await integration(repo.commonDir, wt.head, baseCommit, {
    branch: wt.branch ?? undefined,
  });
  return facts;
}
