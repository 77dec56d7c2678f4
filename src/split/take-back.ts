import { deleteBranch } from '../git/index.js';
import type { Repo } from '../repo.js';
import { stackEntryOf, writeStackEntry } from '../stack/record.js';
import { shellWord } from '../ui/format.js';
import { removeWorktreeFor } from '../worktrees/remove.js';
import { worktrees } from '../worktrees/worktrees.js';

/** What a run made so far, to take back when a later step fails. */
export interface Made {
  branches: { name: string; commit: string }[];
  records: string[];
  worktrees: string[];
}

/**
 * Removes what `made` lists, newest first; what cannot be removed is named in the result. A
 * listed worktree git never made is skipped; the branch of one that stays is kept, so that no
 * worktree is left on a deleted branch.
 */
export async function takeBack(repo: Repo, made: Made, agent: string): Promise<string[]> {
  const left: string[] = [];
  const present = made.worktrees.length > 0 ? await worktrees(repo) : [];
  const checkedOut = new Set<string>();
  for (const name of [...made.worktrees].reverse()) {
    const found = present.find((w) => w.name === name);
    if (!found) continue;
    try {
      await removeWorktreeFor(repo, {
        name,
        force: false,
        deleteBranch: false,
        agent: { explicit: true, id: agent, source: 'flag' },
      });
    } catch (error) {
      left.push(`worktree ${name} (${(error as Error).message})`);
      if (found.branch !== null) checkedOut.add(found.branch);
    }
  }
  for (const branch of made.records) {
    try {
      await writeStackEntry(repo.toplevel, branch, { parent: null, forkPoint: null });
    } catch {
      // The write that failed may have written nothing: only a record still there is left.
      const still = await stackEntryOf(repo.toplevel, branch).catch(() => null);
      if (still) {
        left.push(
          `the stack record of ${branch} (git config --remove-section ${shellWord(`branch.${branch}`)})`,
        );
      }
    }
  }
  for (const { name, commit } of [...made.branches].reverse()) {
    if (checkedOut.has(name)) {
      left.push(`branch ${name} (checked out in its worktree)`);
      continue;
    }
    await deleteBranch(repo.commonDir, name, commit).catch(() => left.push(`branch ${name}`));
  }
  return left;
}
