import { treeOf, treesOf } from '../git/index.js';
import type { Repo } from '../repo.js';
import { mapLimit } from '../util/concurrency.js';
import { decideIntegration, integration } from '../worktrees/integrated.js';
import type { StatusMemo } from './memo.js';
import type { WorktreeStatus } from './row.js';

/**
 * Marks the branches already integrated into the base. A branch with no commit beyond the base
 * costs two processes (its reflog and first-parent line: did it have work of its own?), one when it
 * is the base's tip (fast-forwarded, or just started there); the others two each (cherry,
 * merge-tree), and the base's tree one for all; branches the base has not moved past, one process
 * for all of them (decideOnTop).
 */
export async function addIntegration(
  repo: Repo,
  rows: WorktreeStatus[],
  baseCommit: string,
  limit: number,
  memo: StatusMemo,
): Promise<void> {
  const candidates = rows.filter(
    (row) => !row.main && row.branch && row.head && row.ahead !== null,
  );
  // The base's tree, asked once for every branch (and only if one needs it).
  let tree: Promise<string> | undefined;
  const baseTree = () => (tree ??= treeOf(repo.toplevel, baseCommit));
  await decideOnTop(repo, candidates, baseCommit, memo);
  await mapLimit(candidates, limit, async (row) => {
    const key = memoKey(row, baseCommit);
    const found = await memo.integrations.get(key, () =>
      // The graph says whether the head is in the base (no commit beyond it); a head that is
      // counts only with work of its own (a new branch the base moved past has none).
      integration(repo.toplevel, row.head as string, baseCommit, {
        ancestor: row.ahead === 0,
        baseTree,
        branch: row.branch as string,
      }).catch(() => {
        memo.integrations.delete(key);
        return null;
      }),
    );
    if (found?.status === 'integrated') row.integrated = found.how;
  });
}

/** The branch too: two branches at one commit differ when one had work and the other none. */
function memoKey(row: WorktreeStatus, baseCommit: string): string {
  return `${row.head} ${baseCommit} ${row.branch}`;
}

/**
 * Branches the base has not moved past (behind 0: the base is in them), decided together: no base
 * commit can hold their work, so none is rebased into it, and one is squashed only if its tree is
 * the base's (merging it into the base changes nothing). The same answers `integration` gives,
 * from one process for all of them instead of two each: the common case of a team whose branches
 * start at the base's tip.
 */
async function decideOnTop(
  repo: Repo,
  candidates: readonly WorktreeStatus[],
  baseCommit: string,
  memo: StatusMemo,
): Promise<void> {
  const key = (row: WorktreeStatus) => memoKey(row, baseCommit);
  const onTop = candidates.filter(
    (row) => row.behind === 0 && (row.ahead ?? 0) > 0 && !memo.integrations.has(key(row)),
  );
  if (onTop.length === 0) return;
  const heads = onTop.map((row) => row.head as string);
  const trees = await treesOf(repo.toplevel, [baseCommit, ...heads]).catch(() => null);
  if (trees === null) return;
  for (const row of onTop) {
    const decided = decideIntegration({
      ancestor: false,
      cherry: { picked: 0, unpicked: row.ahead ?? 0 },
      mergeIsNoop: trees.get(row.head as string) === trees.get(baseCommit),
    });
    void memo.integrations.get(key(row), () => Promise.resolve(decided));
  }
}
