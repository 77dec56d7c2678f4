/**
 * `sync --all` for the parts of a stack that no worktree holds (`split --apply` without
 * `--worktrees`): each such branch is restacked alone, in git's object store. Where sync in a
 * worktree runs git rebase, this makes the commits that rebase would make, from the forecast sync
 * works out before it touches any worktree (branchShape: the picks merged one by one with `git
 * merge-tree --write-tree`), each with its author, date and message and the user as committer,
 * then moves the branch with one compare-and-swap (`update-ref refs/heads/<part> <new> <old>`).
 * No worktree, index or file is touched; a conflict, or any failure before the swap, leaves the
 * branch as it was (the new commits are reachable from no ref); and a branch someone moved
 * meanwhile is never overwritten, as the swap then fails.
 *
 * The limit: a worktree that checks the branch out between the last look (just before the swap)
 * and the swap, milliseconds, finds its HEAD moved under its files.
 */
import {
  commitTree,
  commitTreeAs,
  compareAndSwapRef,
  readAuthorships,
  refCommits,
  treeOf,
} from '../git/index.js';
import type { Repo } from '../repo.js';
import type { StackEntry } from '../stack/record.js';
import { heldBranches } from '../worktrees/held.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';
import { worktrees } from '../worktrees/worktrees.js';
import type { ReplayedPick } from './forecast.js';
import { branchShape } from './preconditions.js';
import { byHand, stackResult, syncTarget, writeRecord, type SyncTarget } from './restack.js';
import { conflicted, failed, skipped, upToDate, updated, wouldUpdate } from './result.js';
import type { SyncContext, SyncResult, SyncResultBase } from './types.js';
import { shellWord, shortId } from '../ui/format.js';

/** The stacked branches that exist and no worktree holds (see heldBranches), in config order. */
export async function branchOnlyParts(
  repo: Repo,
  stack: ReadonlyMap<string, StackEntry>,
  all: readonly WorktreeInfo[],
): Promise<string[]> {
  const held = await heldBranches(all);
  const free = [...stack.keys()].filter((branch) => !held.has(branch));
  if (free.length === 0) return [];
  const refs = await refCommits(
    repo.toplevel,
    free.map((b) => `refs/heads/${b}`),
  );
  return free.filter((b) => refs.has(`refs/heads/${b}`));
}

/** Restacks one part no worktree holds onto its parent (or the base), as sync would in one. */
export async function syncBranchOnly(branch: string, ctx: SyncContext): Promise<SyncResult> {
  const common: SyncResultBase = {
    name: branch,
    kind: 'branch',
    path: null,
    branch,
    before: null,
    recovered: null,
    stack: null,
  };
  const cwd = ctx.repo.toplevel;
  const ref = `refs/heads/${branch}`;
  try {
    const head = (await refCommits(cwd, [ref])).get(ref);
    if (head === undefined) {
      return skipped(common, 'branch-deleted', `its branch ${branch} no longer exists`);
    }
    common.before = head;
    const decision = await syncTarget(cwd, branch, head, {
      name: ctx.base,
      commit: ctx.baseCommit,
    });
    if (decision.status === 'blocked') return skipped(common, 'parent-gone', decision.reason);
    const target = decision.target;
    common.stack = stackResult(target);
    const shape = await branchShape(cwd, branch, head, target, ctx);
    if (shape === 'up-to-date') {
      // Nothing to replay, but a parent merged by fast-forward still changes the record.
      if (!ctx.dryRun) await writeRecord(cwd, branch, target.record);
      return upToDate(common, head);
    }
    if (shape.status === 'blocked') return skipped(common, shape.code, shape.reason);
    const plan = shape.forecast;
    if (plan.status === 'unknown') {
      return skipped(
        common,
        'needs-worktree',
        `its ${ctx.strategy} onto ${target.name} cannot be worked out without a worktree (git 2.38 or newer does it); check it out (tmc-orch worktree add <name> --branch ${shellWord(branch)}) and sync it there`,
      );
    }
    if (plan.status === 'conflict') {
      const at = plan.commit ? ` (when replaying ${shortId(plan.commit)})` : '';
      if (ctx.dryRun)
        return conflicted(common, plan.files, `would conflict with ${target.name}`, null);
      return conflicted(
        common,
        plan.files,
        `conflicts with ${target.name}${at}; not restacked, the branch is unchanged. Resolve by hand: check it out (tmc-orch worktree add <name> --branch ${shellWord(branch)}), then there: git ${byHand(ctx.strategy, target)}`,
        head,
      );
    }
    if (ctx.dryRun) {
      return wouldUpdate(common, `would ${ctx.strategy} the branch onto ${target.name}`);
    }
    const after = await commitsFor(cwd, branch, head, target, plan, ctx.strategy);
    // The last look: a worktree that took the branch since sync started now owns it.
    if ((await heldBranches(await worktrees(ctx.repo))).has(branch)) {
      return skipped(
        common,
        'checked-out',
        `a worktree checked it out meanwhile, so it was left as it is; sync it there (tmc-orch sync <name>)`,
      );
    }
    const swap = await compareAndSwapRef(
      ctx.repo.commonDir,
      ref,
      after,
      head,
      `tmc-orch sync: ${ctx.strategy} onto ${target.name}`,
    );
    if (!swap.swapped) {
      return skipped(
        common,
        'branch-moved',
        `it moved meanwhile (no longer at ${shortId(head)}: someone else changed it), so the restack was not applied and the branch is as they left it; sync again`,
      );
    }
    // The record after the branch: a sync killed in between finds the branch on its new parent
    // already (up to date), and writes the record then.
    await writeRecord(cwd, branch, target.record);
    return updated(common, after);
  } catch (error) {
    return failed(
      common,
      `${error instanceof Error ? error.message : String(error)}; check the branch with git log ${shellWord(branch)}`,
    );
  }
}

/**
 * The commits the forecast says the rebase makes (or the merge commit), on the target. The last
 * one's tree is the forecast's, checked: otherwise the branch is not moved.
 */
async function commitsFor(
  cwd: string,
  branch: string,
  head: string,
  target: SyncTarget,
  plan: { tree: string; picks: readonly ReplayedPick[] },
  strategy: SyncContext['strategy'],
): Promise<string> {
  let tip = target.commit;
  if (strategy === 'merge') {
    tip = await commitTree(
      cwd,
      plan.tree,
      [head, target.commit],
      `Merge ${target.name} into ${branch}\n`,
    );
  } else {
    const authors = await readAuthorships(
      cwd,
      plan.picks.map((p) => p.commit),
    );
    for (const pick of plan.picks) {
      const from = authors.get(pick.commit);
      if (!from) throw new Error(`commit ${pick.commit} could not be read`);
      tip = await commitTreeAs(cwd, pick.tree, [tip], from);
    }
  }
  const tree = await treeOf(cwd, tip);
  if (tree !== plan.tree) {
    throw new Error(
      `the restacked branch's tree ${shortId(tree)} is not the forecast's ${shortId(plan.tree)}, so the branch was not moved; please report this`,
    );
  }
  return tip;
}
