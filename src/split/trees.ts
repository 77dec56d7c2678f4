/**
 * What each commit of the stack holds, for the step that builds it with git: part k's tree is the
 * merge-base tree with the changes of parts 1..k, so every path is either at the merge base or at
 * the head, decided path by path. A rename changes two paths (its old path goes, its new path
 * comes), which is why the planner never separates records that touch the same path.
 */
import { compareText } from './go-imports.js';
import type { SplitPart } from './types.js';

export interface PartTree {
  index: number;
  /** Paths this part changes: each file's path and, for a rename, its old path; sorted. */
  changes: string[];
  /** Paths at their head state in part k's tree (changed by parts 1..k); sorted. */
  fromHead: string[];
}

const sorted = (paths: Iterable<string>) => [...new Set(paths)].sort(compareText);

export function partTrees(parts: readonly Pick<SplitPart, 'index' | 'files'>[]): PartTree[] {
  const seen = new Set<string>();
  return parts.map((part) => {
    const changes = sorted(
      part.files.flatMap((f) => (f.oldPath !== null ? [f.path, f.oldPath] : [f.path])),
    );
    for (const path of changes) seen.add(path);
    return { index: part.index, changes, fromHead: sorted(seen) };
  });
}
