import type { GraphCommit } from '../git/index.js';

/**
 * Ahead/behind counts and merge bases for many tips against one base, computed from a single
 * `git rev-list --parents --topo-order <tips> <base> ^<common>` instead of one process per tip.
 *
 * `common` is a common ancestor of every tip and the base, so everything it reaches is reachable
 * from all of them and cancels out of every set difference: walking the listed commits is enough.
 */
export class CommitGraph {
  private readonly parents = new Map<string, string[]>();
  private readonly order = new Map<string, number>();
  private readonly reachCache = new Map<string, Set<string>>();

  constructor(
    commits: readonly GraphCommit[],
    private readonly common: string | null,
  ) {
    commits.forEach((c, i) => {
      this.parents.set(c.commit, c.parents);
      this.order.set(c.commit, i);
    });
  }

  /** The listed commits reachable from `tip` (empty when the tip is at or below `common`). */
  reach(tip: string): Set<string> {
    const cached = this.reachCache.get(tip);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack = this.parents.has(tip) ? [tip] : [];
    while (stack.length > 0) {
      const commit = stack.pop() as string;
      if (seen.has(commit)) continue;
      seen.add(commit);
      for (const parent of this.parents.get(commit) ?? []) {
        if (this.parents.has(parent) && !seen.has(parent)) stack.push(parent);
      }
    }
    this.reachCache.set(tip, seen);
    return seen;
  }

  /** Like `git rev-list --left-right --count base...tip`. */
  aheadBehind(tip: string, base: string): { ahead: number; behind: number } {
    const mine = this.reach(tip);
    const theirs = this.reach(base);
    let ahead = 0;
    for (const c of mine) if (!theirs.has(c)) ahead++;
    let behind = 0;
    for (const c of theirs) if (!mine.has(c)) behind++;
    return { ahead, behind };
  }

  /**
   * A best common ancestor of `tip` and `base`, as `git merge-base` picks one: in topological
   * order (children first) the first common commit has no common descendant.
   */
  mergeBase(tip: string, base: string): string | null {
    const mine = this.reach(tip);
    const theirs = this.reach(base);
    let best: string | null = null;
    let bestOrder = Infinity;
    for (const c of mine) {
      if (!theirs.has(c)) continue;
      const order = this.order.get(c) ?? Infinity;
      if (order < bestOrder) {
        best = c;
        bestOrder = order;
      }
    }
    return best ?? this.common;
  }
}
