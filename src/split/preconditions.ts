import { RefusedError, UsageError } from '../errors.js';
import {
  dirtyCounts,
  isDirty,
  isValidBranchName,
  listRemotes,
  localBranches,
} from '../git/index.js';
import type { Repo } from '../repo.js';
import { pathExists } from '../util/fs.js';
import { branchNameProblem, worktreeNameProblem } from '../worktrees/names.js';
import { worktreePath } from '../worktrees/paths.js';
import { currentWorktree, describeChanges, type WorktreeInfo } from '../worktrees/worktrees.js';
import type { SplitReport } from './gather.js';

import { shellWord, shortList } from '../ui/format.js';
import { takenNames } from './names.js';

/**
 * What split --apply checks before it makes anything, each a function that throws the refusal:
 * the plan is under the limit, the part names are valid and free, REV's worktree is clean.
 */

/** The plan can be applied: something to split, and every part under the limit. */
export function assertApplicable(report: SplitReport): void {
  if (report.parts.length === 0) {
    throw new RefusedError(
      `nothing to split: ${report.head} changes no file against ${report.base}; nothing was created`,
    );
  }
  if (report.oversized.length > 0) {
    const what = report.oversized.map((o) => `${o.path} (${o.lines} counted lines)`);
    throw new RefusedError(
      `no stack of parts under the limit of ${report.limit} exists: ${shortList(what)} alone reach it; split those files by hand or raise the limit (--limit), then run tmc-orch split again; nothing was created`,
    );
  }
}

/**
 * Every part name is a valid branch name, and free. The refusal says how to free a taken name:
 * a branch checked out in a worktree (left by an earlier split --apply --worktrees, even one
 * killed midway) cannot be deleted before its worktree is removed.
 */
export async function assertNamesFree(
  repo: Repo,
  names: readonly string[],
  flag: string,
  all: readonly WorktreeInfo[],
): Promise<void> {
  const cwd = repo.toplevel;
  const remotes = await listRemotes(cwd);
  for (const name of names) {
    const problem =
      branchNameProblem(name, remotes) ??
      ((await isValidBranchName(cwd, name))
        ? null
        : 'is rejected by git check-ref-format --branch');
    if (problem) {
      throw new UsageError(
        `invalid part branch name ${JSON.stringify(name)}: it ${problem}; pick other names with ${flag}`,
      );
    }
  }
  const taken = takenNames(names, await localBranches(cwd));
  if (taken.length > 0) {
    const what = taken.map((t) =>
      t.branch === t.name
        ? `branch ${t.name} already exists`
        : `${t.name} clashes with branch ${t.branch} (one ref name cannot be a folder of the other)`,
    );
    const existing = [...new Set(taken.map((t) => t.branch))];
    const holders = all.filter((w) => w.branch !== null && existing.includes(w.branch));
    const remove =
      holders.length === 0
        ? ''
        : `remove the worktree${holders.length > 1 ? 's' : ''} holding ${holders.length > 1 ? 'them' : 'it'} (${holders.map((w) => `tmc-orch worktree remove ${shellWord(w.name)}`).join('; ')}), then `;
    throw new UsageError(
      `${shortList(what)}; nothing was created. Pick other names (--name <prefix>), or ${remove}delete ${existing.length > 1 ? 'those branches' : 'that branch'} first (git branch -D ${existing.map(shellWord).join(' ')})`,
    );
  }
}

/** Every part's worktree can be created: a valid name, no worktree or folder of that name. */
export async function assertWorktreesFree(
  repo: Repo,
  names: readonly string[],
  all: readonly WorktreeInfo[],
): Promise<void> {
  for (const name of names) {
    const problem = worktreeNameProblem(name);
    if (problem) {
      throw new UsageError(
        `worktree name ${JSON.stringify(name)} of a part ${problem}; pick shorter or plainer part names with --name <prefix>`,
      );
    }
    const same = all.find((w) => w.name === name);
    if (same) {
      throw new UsageError(
        `a worktree named ${name} already exists at ${same.path}; nothing was created. Pick other part names with --name <prefix>, or remove it (tmc-orch worktree remove ${name})`,
      );
    }
    const target = await worktreePath(repo.worktreeRoot, name);
    if (await pathExists(target)) {
      throw new UsageError(
        `${target} already exists; nothing was created. Pick other part names with --name <prefix>, or move that folder away`,
      );
    }
  }
}

/**
 * REV's worktree has no uncommitted work: the parts hold REV's commits only, and changes left
 * out of them would look split when they are not.
 */
export async function assertClean(
  repo: Repo,
  rev: { branch: string | null; revIsHead: boolean },
  all: readonly WorktreeInfo[],
): Promise<void> {
  const holder =
    (rev.branch !== null ? all.find((w) => w.branch === rev.branch) : undefined) ??
    (rev.revIsHead ? await currentWorktree(repo) : undefined);
  if (!holder || holder.prunable !== null) return;
  const changes = await dirtyCounts(holder.path);
  if (isDirty(changes)) {
    throw new UsageError(
      `worktree ${holder.name} has uncommitted changes (${describeChanges(changes)}), which the parts would not hold; nothing was created. Commit them (git -C ${holder.path} commit -a) or move them away, then split again`,
      { changes },
    );
  }
}
