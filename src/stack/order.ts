/**
 * Branches (worktrees, parts) with every part of a stack after the parts below it: sync restacks
 * a part onto its parent as the parent is after this sync, and status lists a stack bottom up.
 * Otherwise in the order given.
 */
export function stackOrder<T extends { branch: string | null }>(
  list: readonly T[],
  stack: ReadonlyMap<string, { parent: string }>,
): T[] {
  // How many recorded parents are below a branch: 0 outside any stack, which keeps their order.
  const depth = (branch: string | null): number => {
    const seen = new Set<string>();
    let n = 0;
    for (let b = branch; b !== null && !seen.has(b); b = stack.get(b)?.parent ?? null) {
      seen.add(b);
      if (stack.has(b)) n++;
    }
    return n;
  };
  return list
    .map((item, i) => ({ item, i, d: depth(item.branch) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.item);
}
