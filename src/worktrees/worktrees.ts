import { mkdir, stat } from 'node:fs/promises';
import { pathExists } from '../util/fs.js';
import { GitError, RefusedError, UsageError } from '../errors.js';
import {
  addWorktree,
  ambiguousNameError,
  branchExists,
  deleteBranch,
  dirtyCounts,
  hiddenChanges,
  ignoredPaths,
  isDirty,
  isValidBranchName,
  listRemotes,
  pruneWorktrees,
  removeWorktree,
  resolveCommit,
  resolveUserCommit,
  unheldCommitCount,
  unlockWorktree,
  worktreeGitDir,
  type DirtyCounts,
} from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { systemClock, type Clock } from '../util/clock.js';
import { defaultConcurrency, mapLimit } from '../util/concurrency.js';
import { dropLeftoverClaim, listClaims } from '../claims/store.js';
import { holdForRemoval } from '../claims/removal.js';
import { isMirrorLock } from '../claims/mirror.js';
import { type Claim } from '../claims/record.js';
import { assertWorktreeName, branchNameProblem } from './names.js';
import { currentWorktree, findWorktree, worktrees, type WorktreeInfo } from './lookup.js';

export { currentWorktree, findWorktree, worktrees, type WorktreeInfo };
import { worktreePath } from './paths.js';
import { disposableMatcher, keptIgnored, withoutCopies } from './disposable.js';
import { isUnchangedCopy } from './copy.js';
import { integration } from './integrated.js';
import { CONFIG_FILE } from '../config/schema.js';
import { actingAgent, type Agent } from '../config/identity.js';

export interface WorktreeListEntry extends WorktreeInfo {
  /** Uncommitted work, or null when the folder is missing. */
  dirty: boolean | null;
  changes: DirtyCounts | null;
  /** Who holds the worktree, or null. */
  claim: Claim | null;
}

export async function listWithStatus(
  repo: Repo,
  clock: Clock = systemClock,
): Promise<WorktreeListEntry[]> {
  const all = await worktrees(repo);
  // A claim shows on the worktree it holds, found by path: two worktrees may share a name.
  const claims = await listClaims(repo, clock(), all);
  const claimOf = new Map(claims.filter((c) => c.path !== null).map((c) => [c.path, c]));
  return mapLimit(all, defaultConcurrency(), async (wt) => {
    const claim = claimOf.get(wt.path) ?? null;
    if (wt.prunable !== null) return { ...wt, dirty: null, changes: null, claim };
    try {
      const changes = await dirtyCounts(wt.path);
      return { ...wt, dirty: isDirty(changes), changes, claim };
    } catch {
      return { ...wt, dirty: null, changes: null, claim };
    }
  });
}

export interface AddOptions {
  name: string;
  branch?: string;
  from?: string;
  now?: Clock;
}

export interface AddResult {
  name: string;
  path: string;
  branch: string;
  head: string;
  /** Whether the branch was created (false: an existing branch was checked out). */
  created: boolean;
  /** What a new branch was started from, or null. */
  from: string | null;
  /** The claim an earlier worktree of that name left behind, dropped; null when there was none. */
  droppedClaim: Claim | null;
  warnings: string[];
}

async function assertBranchName(
  repo: Repo,
  branch: string,
  flag: string,
  fix: string,
): Promise<void> {
  const [valid, remotes] = await Promise.all([
    isValidBranchName(repo.toplevel, branch),
    listRemotes(repo.toplevel),
  ]);
  const problem =
    branchNameProblem(branch, remotes) ??
    (valid
      ? null
      : 'is rejected by git check-ref-format --branch; use letters, digits, "/", "-", "_", "."');
  if (problem) {
    throw new UsageError(
      `invalid branch name ${JSON.stringify(branch)}${flag}: it ${problem}; ${fix}`,
    );
  }
}

export async function addWorktreeFor(repo: Repo, options: AddOptions): Promise<AddResult> {
  assertWorktreeName(options.name);
  const branch = options.branch ?? `${repo.config.branchPrefix}${options.name}`;
  await assertBranchName(
    repo,
    branch,
    ...((options.branch
      ? [' (--branch)', 'pick another name, e.g. --branch tmc/<name>']
      : [
          ` (branchPrefix ${JSON.stringify(repo.config.branchPrefix)} + name)`,
          `change branchPrefix in ${repo.configFile ?? '.tmc-orch.json'}, or pass --branch <name>`,
        ]) as [string, string]),
  );
  const target = await worktreePath(repo.worktreeRoot, options.name);
  const all = await worktrees(repo);
  const sameName = all.find((w) => w.name === options.name);
  if (sameName) {
    throw new RefusedError(
      `a worktree named ${JSON.stringify(options.name)} already exists at ${sameName.path}; choose another name`,
    );
  }
  if (await pathExists(target)) {
    throw new RefusedError(
      `${target} already exists; choose another name or move that folder away`,
    );
  }
  const holder = all.find((w) => w.branch === branch);
  if (holder) {
    throw new RefusedError(
      `branch ${branch} is already checked out in worktree ${holder.name} (${holder.path}); use --branch to pick another`,
    );
  }

  const cwd = repo.toplevel;
  let created: boolean;
  let startPoint: string | undefined;
  let startCommit: string | undefined;
  if (await branchExists(cwd, branch)) {
    if (options.from) {
      throw new UsageError(
        `branch ${branch} already exists, so --from ${options.from} would be ignored; drop --from or pass --branch <new-name>`,
      );
    }
    created = false;
  } else {
    created = true;
    const start = options.from
      ? { name: options.from, rev: options.from }
      : await defaultStartPoint(repo, branch);
    startPoint = start.name;
    // git is given the commit: a short name could stand for another ref (a branch origin/main).
    const resolved = await resolveUserCommit(cwd, start.rev);
    if (resolved.status === 'ambiguous') {
      throw await ambiguousNameError(cwd, options.from ? '--from' : 'the base', start.rev);
    }
    if (resolved.status === 'missing') {
      throw new UsageError(
        options.from
          ? `--from ${JSON.stringify(options.from)} names no commit; pass a branch, tag or commit that exists`
          : `the base ${startPoint} has no commit yet; commit on ${repo.config.base} first, or pass --from <ref>`,
      );
    }
    startCommit = resolved.id;
  }

  await mkdir(repo.worktreeRoot, { recursive: true });
  try {
    await addWorktree(cwd, {
      path: target,
      branch,
      newBranch: created,
      ...(startCommit !== undefined ? { startPoint: startCommit } : {}),
    });
  } catch (error) {
    // Another process created the same worktree or branch between our checks and git's.
    if (
      error instanceof GitError &&
      /already exists|already checked out|is a missing|cannot lock ref|could not create/.test(
        error.stderr,
      )
    ) {
      throw new RefusedError(
        `could not create worktree ${options.name}: ${error.stderr.trim().split('\n').pop() ?? ''}; run tmc-orch worktree list and pick another name`,
      );
    }
    throw error;
  }
  const head = (await resolveCommit(target, 'HEAD')) ?? '';
  const warnings: string[] = [];
  const added = (await worktrees(repo)).find((w) => w.path === target);
  const droppedClaim = added
    ? await dropLeftoverClaim(repo, added, (options.now ?? systemClock)())
    : null;
  if (droppedClaim) {
    warnings.push(
      `dropped the claim of ${droppedClaim.agent} (since ${droppedClaim.since}) left by an earlier worktree ${options.name} that was removed with plain git`,
    );
  }
  return {
    name: options.name,
    path: target,
    branch,
    head,
    created,
    from: startPoint ?? null,
    droppedClaim,
    warnings,
  };
}

/**
 * A branch pushed from another machine starts from its remote copy; anything else from the base.
 * `name` is for people, `rev` (a full ref name) for git.
 */
async function defaultStartPoint(
  repo: Repo,
  branch: string,
): Promise<{ name: string; rev: string }> {
  const { remote } = repo.config;
  const remoteRef = `refs/remotes/${remote}/${branch}`;
  if (remote && (await resolveCommit(repo.toplevel, remoteRef))) {
    return { name: `${remote}/${branch}`, rev: remoteRef };
  }
  const { base, ref } = await resolveBase(repo);
  return { name: base, rev: ref };
}

export interface RemoveOptions {
  name: string;
  force: boolean;
  deleteBranch: boolean;
  /**
   * The acting agent: a worktree claimed by anyone else is refused, its own claim released. A
   * claimed worktree needs an explicit id (see actingAgent).
   */
  agent: Agent;
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
    (claimed) =>
      claimed
        ? actingAgent(options.agent, 'worktree remove of a claimed worktree')
        : options.agent.id,
    options.now,
  );
  let branchHead: string | null = null;
  let gone = false;
  try {
    // git does not call a locked worktree (every claimed one) prunable when its folder is gone.
    gone = wt.prunable !== null || !(await pathExists(wt.path));
    if (!gone && (await worktreeGitDir(wt.path)) === null) {
      throw new RefusedError(
        `worktree ${wt.name} has a broken .git file, so git cannot tell what work it holds; repair it with git -C ${repo.mainRoot} worktree repair ${wt.path}, then remove it again`,
      );
    }
    if (!gone && !options.force) {
      const changes = await dirtyCounts(wt.path);
      if (isDirty(changes)) {
        throw new RefusedError(
          `worktree ${wt.name} has uncommitted work (${describeChanges(changes)}); commit or stash it, or pass --force to discard it`,
          { changes },
        );
      }
      await assertNoKeptIgnored(repo, wt);
      await assertNoHiddenWork(repo, wt);
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
    await deleteBranch(git, wt.branch, branchHead);
    branchDeleted = true;
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

const LISTED = 10;

/**
 * Refuses to remove ignored files that are work (`.env`, notes in an ignored folder): `git
 * worktree remove` deletes ignored files without a word, even without --force.
 */
async function assertNoKeptIgnored(repo: Repo, wt: WorktreeInfo): Promise<void> {
  const kept = await keptIgnoredFiles(repo, wt);
  if (kept.length === 0) return;
  const more = kept.length > LISTED ? ` and ${kept.length - LISTED} more` : '';
  throw new RefusedError(
    `worktree ${wt.name} has ignored files that are not disposable: ${kept.slice(0, LISTED).join(', ')}${more}; move them out of the worktree, add their patterns to worktrees.disposable in ${CONFIG_FILE}, or pass --force to delete them`,
    { ignored: kept },
  );
}

/**
 * The ignored files of `wt` that are work: not matched by config `worktrees.disposable`, and not
 * an unchanged copy of the main worktree's file (setup on create copies `.env` and the like).
 * Limit: a copy whose source changes in the main worktree between this check and the removal
 * (milliseconds) goes with the worktree.
 */
export async function keptIgnoredFiles(repo: Repo, wt: WorktreeInfo): Promise<string[]> {
  const isDisposable = disposableMatcher(repo.config.worktrees.disposable);
  const filesIn = (folders: readonly string[]) =>
    ignoredPaths(wt.path, { folders: false, within: folders });
  const kept = await keptIgnored(
    await ignoredPaths(wt.path, { folders: true }),
    isDisposable,
    filesIn,
  );
  if (kept.length === 0 || wt.path === repo.mainRoot) return kept;
  return withoutCopies(kept, (file) => isUnchangedCopy(repo.mainRoot, wt.path, file), filesIn);
}

/**
 * Refuses to remove work `git status` does not show and `git worktree remove` deletes anyway:
 * edits to files marked skip-worktree or assume-unchanged, and the commits of a detached HEAD
 * that no ref or other worktree holds.
 */
async function assertNoHiddenWork(repo: Repo, wt: WorktreeInfo): Promise<void> {
  const hidden = await hiddenChanges(wt.path);
  if (hidden.length > 0) {
    const more = hidden.length > LISTED ? ` and ${hidden.length - LISTED} more` : '';
    throw new RefusedError(
      `worktree ${wt.name} has changes git status does not show (skip-worktree or assume-unchanged): ${hidden.slice(0, LISTED).join(', ')}${more}; commit or copy them, or pass --force to discard them`,
      { hidden },
    );
  }
  if (wt.branch !== null || wt.head === null) return;
  const others = (await worktrees(repo))
    .filter((w) => w.path !== wt.path && w.head !== null)
    .map((w) => w.head as string);
  const count = await unheldCommitCount(repo.commonDir, wt.head, others);
  if (count === 0) return;
  throw new RefusedError(
    `worktree ${wt.name} has a detached HEAD (${wt.head.slice(0, 12)}) with ${count} commit${count === 1 ? '' : 's'} no branch holds; keep ${count === 1 ? 'it' : 'them'} with git -C ${wt.path} branch <name>, or pass --force to let them go`,
    { head: wt.head },
  );
}

export function describeChanges(c: DirtyCounts): string {
  const parts: string[] = [];
  if (c.staged) parts.push(`${c.staged} staged`);
  if (c.unstaged) parts.push(`${c.unstaged} unstaged`);
  if (c.untracked) parts.push(`${c.untracked} untracked`);
  if (c.unmerged) parts.push(`${c.unmerged} unmerged`);
  return parts.join(', ') || 'clean';
}

export interface PruneResult {
  pruned: { name: string; path: string; reason: string }[];
}

/** Drops git's records of worktrees whose folders are gone (locked ones are kept, as git does). */
export async function pruneWorktreesFor(repo: Repo): Promise<PruneResult> {
  const before = await worktrees(repo);
  await pruneWorktrees(repo.toplevel);
  const after = new Set((await worktrees(repo)).map((w) => w.path));
  return {
    pruned: before
      .filter((w) => !after.has(w.path))
      .map((w) => ({ name: w.name, path: w.path, reason: w.prunable ?? 'stale' })),
  };
}
