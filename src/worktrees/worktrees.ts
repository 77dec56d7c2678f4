import os from 'node:os';
import { dirtyCountsOfEach, isDirty, pruneWorktrees, type DirtyCounts } from '../git/index.js';
import { type Repo } from '../repo.js';
import { systemClock, type Clock } from '../util/clock.js';
import { listClaims } from '../claims/store.js';
import { type Claim } from '../claims/record.js';
import {
  currentWorktree,
  describeWorktrees,
  findWorktree,
  worktrees,
  type WorktreeInfo,
} from './lookup.js';

export { currentWorktree, describeWorktrees, findWorktree, worktrees, type WorktreeInfo };

/** The worktrees as `worktree list` shows them, and prune. Add and remove: ./add.ts, ./remove.ts. */

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
  // Every status at once, a few worktrees to a git process (as status reads them).
  const present = all.filter((wt) => wt.prunable === null);
  const counts = dirtyCountsOfEach(
    present.map(({ path, head, branch }) => ({ path, head, branch })),
    { processes: os.availableParallelism() },
  );
  const countsOf = new Map(present.map((wt, i) => [wt, counts[i] as Promise<DirtyCounts>]));
  // A claim shows on the worktree it holds, found by path: two worktrees may share a name.
  const claims = await listClaims(repo, clock(), all);
  const claimOf = new Map(claims.filter((c) => c.path !== null).map((c) => [c.path, c]));
  return Promise.all(
    all.map(async (wt) => {
      const claim = claimOf.get(wt.path) ?? null;
      const changes = await (countsOf.get(wt) ?? Promise.resolve(null)).catch(() => null);
      return { ...wt, dirty: changes ? isDirty(changes) : null, changes, claim };
    }),
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
