/** The names of a split's parts: pure functions of the plan, the options and the branches. */

/** The branch names of n parts: `<prefix>-<k>`, else `<branch>-part-<k>`; null without either. */
export function partBranchNames(
  branch: string | null,
  prefix: string | undefined,
  n: number,
): string[] | null {
  if (prefix === undefined && branch === null) return null;
  return Array.from({ length: n }, (_, i) =>
    prefix !== undefined ? `${prefix}-${i + 1}` : `${branch}-part-${i + 1}`,
  );
}

/**
 * The worktree name of a part's branch: without the configured branch prefix (as `worktree add`
 * names worktrees), and a folder name (slashes become dashes).
 */
export function partWorktreeName(branch: string, branchPrefix: string): string {
  const bare =
    branchPrefix !== '' && branch.startsWith(branchPrefix)
      ? branch.slice(branchPrefix.length)
      : branch;
  return bare.replaceAll('/', '-');
}

/**
 * The part names git cannot create beside the existing branches: the same name, or one that is
 * a folder of the other (`a` and `a/b` cannot both be branches).
 */
export function takenNames(
  names: readonly string[],
  existing: readonly string[],
): { name: string; branch: string }[] {
  const taken: { name: string; branch: string }[] = [];
  for (const name of names) {
    const clash = existing.find(
      (b) => b === name || name.startsWith(`${b}/`) || b.startsWith(`${name}/`),
    );
    if (clash !== undefined) taken.push({ name, branch: clash });
  }
  return taken;
}
