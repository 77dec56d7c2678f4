import { stat } from 'node:fs/promises';
import { pathExists } from '../util/fs.js';
import { shellWord } from '../ui/format.js';
import { GitError, RefusedError, UsageError } from '../errors.js';
import {
  deleteBranch,
  dirtyCounts,
  isDirty,
  removeWorktree,
  resolveCommit,
  unlockWorktree,
  worktreeGitDir,
} from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { type Clock } from '../util/clock.js';
import { holdForRemoval } from '../claims/removal.js';
import { isMirrorLock } from '../claims/mirror.js';
import { findWorktree, worktrees, type WorktreeInfo } from './lookup.js';
import { branchHasOwnWork, integration, type IntegrationKind } from './integrated.js';
import { recordLanded } from './landed.js';
import { actingAgent, type Agent } from '../config/identity.js';
import { describeChanges } from './worktrees.js';
import { assertNoHiddenWork, assertNoKeptIgnored } from './hidden-work.js';

/**
 * worktree remove: nothing is lost. Uncommitted, untracked and hidden (skip-worktree,
 * assume-unchanged) changes, ignored files that are not disposable and commits only a detached
 * HEAD holds are each a refusal naming them, unless --force; the claim is held for the time of
 * the removal, and every refusal gives it back as it was.
 */

export interface RemoveOptions {
  name: string;
  force: boolean;
  deleteBranch: boolean;
  /**
   * The acting agent: a worktree claimed by anyone else is refused, its own claim released. A
   * claimed worktree needs an explicit id (see actingAgent).
   */
  agent: Agent;
  /**
   * A claim refuses the removal instead of asking for an agent id (worktree clean without one,
   * which found the worktree unclaimed: a claim made since keeps it).
   */
  unclaimedOnly?: boolean;
  /** A line for the status log once removed (worktree clean); by default only a release is logged. */
  logNote?: string;
  now?: Clock;
}

export interface RemoveResult {
  name: string;
  path: string;
  branch: string | null;
  removed: true;
  branchDeleted: boolean;
  warnings: string[];
}

/**
 * Removes a worktree, holding its claim for the time of the removal (see holdForRemoval), so a
 * claim racing the removal either comes first and the removal is refused, or is refused itself.
 * Every refusal and failure gives the claim back exactly as it was. Git runs in the common git
 * dir, so a worktree can be removed from inside itself.
 */
export async function removeWorktreeFor(repo: Repo, options: RemoveOptions): Promise<RemoveResult> {
  const wt = await findWorktree(repo, options.name);
  if (wt.main) {
    throw new UsageError(
      `${options.name} is the main worktree, which cannot be removed; name a linked worktree`,
    );
  }
  if (options.deleteBranch && !wt.branch) {
    throw new UsageError(
      `worktree ${wt.name} has no branch checked out (detached HEAD), so --delete-branch has nothing to delete; drop the flag`,
    );
  }
  // git's record half gone (no identity): a racing removal is deleting it, or it is broken.
  if (wt.identity === null && (await removedMeanwhile(repo, wt, false))) {
    throw removedMeanwhileError(wt.name);
  }
  const git = repo.commonDir;
  const hold = await holdForRemoval(
    repo,
    wt,
    (claimed) => {
      if (!claimed) return options.agent.id;
      if (options.unclaimedOnly) {
        throw new RefusedError(
          `worktree ${wt.name} was claimed meanwhile, so it stays; see tmc-orch claims`,
        );
      }
      return actingAgent(options.agent, 'worktree remove of a claimed worktree');
    },
    options.now,
  );
  let branchHead: string | null = null;
  /** How the branch's own work landed in the base, when it has any (see recordLanded). */
  let landed: IntegrationKind | null = null;
  let gone = false;
  try {
    // git does not call a locked worktree (every claimed one) prunable when its folder is gone.
    gone = wt.prunable !== null || !(await pathExists(wt.path));
    if (!gone && (await worktreeGitDir(wt.path)) === null) {
      throw new RefusedError(
        `worktree ${wt.name} has a broken .git file, so git cannot tell what work it holds; repair it with git -C ${repo.mainRoot} worktree repair ${wt.path}, then remove it again`,
      );
    }
    // A claim's mirror lock belongs to the claim this removal now holds; any other lock is
    // someone's decision.
    const mirror = isMirrorLock(wt.locked);
    if (wt.locked !== null && !mirror && !options.force) {
      throw new RefusedError(
        `worktree ${wt.name} is locked${wt.locked ? ` (${wt.locked})` : ''}; ask its owner, or pass --force`,
      );
    }
    if (options.deleteBranch && wt.branch) {
      // git is given the base's commit, never a short name another ref could shadow.
      const { base, baseCommit } = await resolveBase(repo);
      branchHead = await resolveCommit(git, `refs/heads/${wt.branch}`);
      const integrated =
        branchHead && baseCommit ? await integration(git, branchHead, baseCommit) : null;
      if (branchHead && integrated?.status !== 'integrated') {
        throw new RefusedError(
          `branch ${wt.branch} is not merged into ${base} (nor rebased or squash-merged into it); nothing was removed. Merge it first, or remove the worktree without --delete-branch`,
        );
      }
      // Read now: the branch's reflog, which tells work of its own, goes with the branch.
      if (branchHead && baseCommit && integrated?.status === 'integrated') {
        const ownWork =
          integrated.how !== 'merged' ||
          (await branchHasOwnWork(git, branchHead, baseCommit, wt.branch));
        if (ownWork) landed = integrated.how;
      }
    }
    // The work last, right before git deletes the folder: a file saved while the checks above
    // ran is seen. Ignored files last of all: git's own removal deletes them without a look.
    if (!gone && !options.force) {
      const changes = await dirtyCounts(wt.path);
      if (isDirty(changes)) {
        throw new RefusedError(
          `worktree ${wt.name} has uncommitted work (${describeChanges(changes)}); commit or stash it, or pass --force to discard it`,
          { changes },
        );
      }
      await assertNoHiddenWork(repo, wt);
      await assertNoKeptIgnored(repo, wt);
    }
    let locked = wt.locked !== null;
    if (mirror || (gone && locked)) {
      await unlockWorktree(git, wt.path);
      locked = false;
    }
    // `git worktree remove` of a missing folder drops just its record, where prune would drop
    // every other missing one too.
    await removeWorktree(git, wt.path, { force: options.force && !gone, locked });
  } catch (error) {
    if (await removedMeanwhile(repo, wt, gone)) {
      // Another removal (of this same worktree, racing) did the job: the claim this one holds
      // now stands for a worktree that is gone, so it goes too.
      await hold.finish([]).catch(() => undefined);
      throw removedMeanwhileError(wt.name);
    }
    await hold.giveBack().catch(() => undefined);
    throw removalRefusal(wt.name, error, await repairHint(repo, wt));
  }
  const warnings: string[] = [];
  await hold.finish(warnings, options.logNote);

  let branchDeleted = false;
  if (branchHead && wt.branch) {
    try {
      await deleteBranch(git, wt.branch, branchHead);
      branchDeleted = true;
    } catch (error) {
      // A commit made in the worktree after the check above moved the branch: that commit is
      // not known to be integrated, so the branch stays.
      const now = await resolveCommit(git, `refs/heads/${wt.branch}`);
      if (!(error instanceof GitError) || now === branchHead) throw error;
      const branch = shellWord(wt.branch);
      warnings.push(
        now === null
          ? `branch ${wt.branch} was deleted meanwhile by another process`
          : `branch ${wt.branch} moved while the worktree was removed (a commit was made meanwhile), so it was kept; see git log ${branch}, and delete it with git branch -D ${branch} if that commit can go`,
      );
    }
    // Only a branch that went with its landed work is recorded (the plan's finished streams).
    if (branchDeleted && landed !== null) {
      const at = (options.now?.() ?? new Date()).toISOString();
      const record = { worktree: wt.name, branch: wt.branch, commit: branchHead, how: landed, at };
      const warning = await recordLanded(git, record);
      if (warning) warnings.push(warning);
    }
  }
  return {
    name: wt.name,
    path: wt.path,
    branch: wt.branch,
    removed: true,
    branchDeleted,
    warnings,
  };
}

/** Whether the worktree went while this removal worked on it: git lists it no more, or its
 * folder, there at the start, is gone. */
function removedMeanwhileError(name: string): RefusedError {
  return new RefusedError(
    `worktree ${name} was removed meanwhile by another process (another tmc-orch worktree remove, or git); nothing left to remove`,
  );
}

async function removedMeanwhile(
  repo: Repo,
  wt: WorktreeInfo,
  goneAtStart: boolean,
): Promise<boolean> {
  try {
    if (!goneAtStart && !(await pathExists(wt.path))) return true;
    return !(await worktrees(repo)).some((w) => w.path === wt.path);
  } catch {
    return false;
  }
}

/**
 * What to do about a worktree git cannot validate (its .git file gone): repair it while its folder
 * is there (it may hold work), else drop git's record.
 */
async function repairHint(repo: Repo, wt: WorktreeInfo): Promise<string> {
  const folder = await stat(wt.path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return folder
    ? `its folder is still there and may hold work: repair it with git -C ${repo.mainRoot} worktree repair ${wt.path}, then remove it again`
    : `${wt.path} is no worktree folder any more: drop git's record of it with tmc-orch worktree prune (nothing at that path is touched)`;
}

/**
 * git's own refusals to remove a worktree (a submodule, work or a lock that appeared since our
 * checks) are answers, exit 1, not internal errors.
 */
function removalRefusal(name: string, error: unknown, repair: string): unknown {
  if (!(error instanceof GitError)) return error;
  const why = error.stderr.trim().split('\n').pop() ?? '';
  const next = /validation failed/.test(why)
    ? repair
    : /submodule/.test(why)
      ? 'git cannot remove a worktree with submodules; run git submodule deinit --all there first'
      : /locked/.test(why)
        ? 'it was locked meanwhile; see tmc-orch worktree list'
        : /modified or untracked/.test(why)
          ? 'work appeared there meanwhile; commit or stash it, or pass --force to discard it'
          : null;
  if (next === null) return error;
  return new RefusedError(`git refused to remove worktree ${name} (${why}); ${next}`);
}
