import { treeOf } from '../git/index.js';
import type { Repo } from '../repo.js';
import { mapLimit } from '../util/concurrency.js';
import { integration } from '../worktrees/integrated.js';
import type { StatusMemo } from './memo.js';
import type { WorktreeStatus } from './row.js';

/**
 * Marks the branches already integrated into the base. A branch with no commit beyond the base
 * costs two processes (its reflog and first-parent line: did it have work of its own?), one when it
 * is the base's tip (fast-forwarded, or just started there); the others two each (cherry,
 * merge-tree), and the base's tree one for all.
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
  await mapLimit(candidates, limit, async (row) => {
    // The branch too: two branches at one commit differ when one had work and the other none.
    const key = `${row.head} ${baseCommit} ${row.branch}`;
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
