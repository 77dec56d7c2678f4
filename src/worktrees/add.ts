import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from '../util/fs.js';
import { GitError, RefusedError, UsageError } from '../errors.js';
import {
  addWorktree,
  ambiguousNameError,
  branchExists,
  isValidBranchName,
  listRemotes,
  refShortNames,
  resolveCommit,
  resolveUserCommit,
} from '../git/index.js';
import { resolveBase, type Repo } from '../repo.js';
import { systemClock, type Clock } from '../util/clock.js';
import { waitLock } from '../util/lock.js';
import { didYouMean } from '../util/suggest.js';
import { dropLeftoverClaim } from '../claims/store.js';
import { type Claim } from '../claims/record.js';
import { assertWorktreeName, branchNameProblem } from './names.js';
import { worktrees } from './lookup.js';
import { worktreePath } from './paths.js';
import { formatTime } from '../ui/format.js';

/**
 * worktree add: a new worktree on a new branch (from the remote copy of the branch, else the
 * base) or on an existing one; the name and branch checked before git runs, and a claim an
 * earlier worktree of that name left behind dropped. Setup on create is ./setup.ts.
 */

/** The lock of worktree adds, in the common git dir, and how long one waits for it. */
const ADD_LOCK = 'tmc-orch-worktree-add.lock';
const ADD_LOCK_WAIT_MS = 120_000;

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
  const cwd = repo.toplevel;
  let created: boolean;
  let startPoint: string | undefined;
  let startCommit: string | undefined;
  // One worktree add at a time in a repository: the checks below and git's own then see every
  // earlier add whole. Two git worktree add racing for one path or branch fail in a dozen ways
  // (a half-written .git file, "failed to read commondir", "Could not parse object 'HEAD'")
  // that cannot be told from real errors. Held for the checks and git's add, not the setup.
  const release = await waitLock(path.join(repo.commonDir, ADD_LOCK), {
    timeoutMs: ADD_LOCK_WAIT_MS,
  });
  if (!release) {
    throw new RefusedError(
      `another tmc-orch has been adding a worktree for over ${ADD_LOCK_WAIT_MS / 1000} s (lock ${path.join(repo.commonDir, ADD_LOCK)}); wait for it, or delete the lock if no tmc-orch is running`,
    );
  }
  try {
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
            ? `--from ${JSON.stringify(options.from)} names no commit; ${didYouMean(options.from, await refShortNames(cwd))}pass a branch, tag or commit that exists`
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
  } finally {
    await release();
  }
  const head = (await resolveCommit(target, 'HEAD')) ?? '';
  const warnings: string[] = [];
  const added = (await worktrees(repo)).find((w) => w.path === target);
  const now = (options.now ?? systemClock)();
  const droppedClaim = added ? await dropLeftoverClaim(repo, added, now) : null;
  if (droppedClaim) {
    warnings.push(
      `dropped the claim of ${droppedClaim.agent} (since ${formatTime(droppedClaim.since, now)}) left by an earlier worktree ${options.name} that was removed with plain git`,
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
