import type { IndexEntry } from '../git/index.js';

/**
 * The undo's one decision, per path: may it put this file back? A pure function of what is on
 * disk, in the index and in the commits git was writing, so that every case is unit-tested.
 */

/** A worktree file's bytes (a symlink's target), null when absent, 'other' for a folder. */
export type OnDisk = Buffer | null | 'other';

export interface PathFacts {
  /** The file on disk now. */
  worktree: OnDisk;
  /** The file in the commit to return to (null: not there). */
  target: Buffer | null;
  /** Its index entries now (stage 0, or stages 1 to 3 for a conflict). */
  index: readonly IndexEntry[];
  /** Whether the file differs from its stage-0 index entry (git diff-files). */
  modified: boolean;
  /**
   * Blobs git itself puts in the index: HEAD's, the incoming commit's, the pick's or merge's
   * result.
   */
  gitOids: ReadonlySet<string>;
  /** What git writes into a conflicted file (its conflict output, or either side). */
  conflictOutputs: readonly Buffer[];
}

/**
 * For one path the undo would write: 'same' when the file already is as it was (nothing to do),
 * 'git' when what is on disk is provably git's (put it back), 'keep' when it may be someone's
 * work (leave it).
 */
export function classifyPath(facts: PathFacts): 'same' | 'git' | 'keep' {
  const { worktree, target } = facts;
  if (worktree === null ? target === null : worktree !== 'other' && target?.equals(worktree)) {
    return 'same';
  }
  const merged = facts.index.find((e) => e.stage === 0);
  if (merged) return !facts.modified && facts.gitOids.has(merged.oid) ? 'git' : 'keep';
  if (facts.index.length > 0) {
    if (worktree === null || worktree === 'other') return 'keep';
    return facts.conflictOutputs.some((out) => sameConflictOutput(out, worktree)) ? 'git' : 'keep';
  }
  // Not in the index: git deleted it; a file there now is someone's.
  return worktree === null ? 'git' : 'keep';
}

/**
 * Whether two files are the same conflict output but for the labels after the markers (git
 * labels them "HEAD" and "<commit> (<subject>)" in a rebase, merge-tree with the commit ids).
 */
export function sameConflictOutput(a: Buffer, b: Buffer): boolean {
  const strip = (buffer: Buffer) =>
    buffer.toString('latin1').replace(/^(<{7,}|>{7,}|\|{7,})(?: [^\n]*)?$/gm, '$1');
  return strip(a) === strip(b);
}
