import { readRefValues, setRef, writeBlob } from '../git/index.js';
import type { IntegrationKind } from './integrated.js';

/**
 * The record that a worktree's work landed in the base, kept when the worktree and its branch go
 * (`worktree clean`, `worktree remove --delete-branch`). Without it nothing would tell a removed
 * worktree whose work is in the base from one never created: a plan's stream would count as
 * unfinished again once its merged worktrees are cleaned up, and every stream after it would be
 * blocked for good. One ref per worktree name, refs/tmc-orch/landed/<name>, pointing at a blob
 * (it keeps no commit alive); the latest landing under that name wins.
 */

const LANDED_REF_PREFIX = 'refs/tmc-orch/landed/';

export interface Landed {
  worktree: string;
  branch: string;
  /** The branch's tip when it went. */
  commit: string;
  how: IntegrationKind;
  /** ISO time of the removal. */
  at: string;
}

/** Writes the record; a warning (never a throw) when it cannot: the removal is done already. */
export async function recordLanded(commonDir: string, landed: Landed): Promise<string | null> {
  try {
    const oid = await writeBlob(commonDir, `${JSON.stringify({ v: 1, ...landed })}\n`);
    await setRef(commonDir, `${LANDED_REF_PREFIX}${landed.worktree}`, oid);
    return null;
  } catch (error) {
    return `could not record that ${landed.worktree}'s work landed (a plan's stream may show it unmerged): ${(error as Error).message}`;
  }
}

const KINDS: readonly string[] = ['merged', 'rebased', 'squashed'] satisfies IntegrationKind[];

/** The records, by worktree name; one that does not parse is left out. */
export async function landedWorktrees(commonDir: string): Promise<Map<string, Landed>> {
  const records = new Map<string, Landed>();
  for (const { ref, content } of await readRefValues(commonDir, LANDED_REF_PREFIX)) {
    const worktree = ref.slice(LANDED_REF_PREFIX.length);
    try {
      const value = JSON.parse(content) as Partial<Landed>;
      if (typeof value.how !== 'string' || !KINDS.includes(value.how)) continue;
      records.set(worktree, {
        worktree,
        branch: String(value.branch ?? ''),
        commit: String(value.commit ?? ''),
        how: value.how,
        at: String(value.at ?? ''),
      });
    } catch {
      // Not ours, or damaged: as if there were no record.
    }
  }
  return records;
}
