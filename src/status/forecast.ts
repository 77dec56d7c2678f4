/**
 * Which pairs of worktrees the conflict forecast merges (`git merge-tree`, ~5-25 ms each), as a
 * pure decision. Two branches that change disjoint paths merge cleanly, so only pairs that share
 * a path (or a file and a folder of that name) are candidates. Those can still be too many: 100
 * worktrees that all change go.mod make 4,950 pairs, ~25 s of merges. Beyond `budget` pairs the
 * paths shared by the most pairs are grouped, hottest first, until the pairs that still share a
 * path not grouped fit the budget: a grouped path is reported once, with the worktrees that change
 * it, instead of pair by pair.
 */

interface CrowdedPath {
  path: string;
  /** Indexes of the worktrees that change it (as a file, or a folder of a file another changes). */
  members: number[];
}

export interface ForecastPlan {
  /** The pairs to merge, as indexes `[i, j]` (i < j) into the list given, in order. */
  pairs: [number, number][];
  /** The grouped paths, sorted. */
  crowded: CrowdedPath[];
}

/** The folders above a path: `a/b/c` → `a`, `a/b`. */
function foldersOf(file: string): string[] {
  const folders: string[] = [];
  for (let i = file.indexOf('/'); i !== -1; i = file.indexOf('/', i + 1)) {
    folders.push(file.slice(0, i));
  }
  return folders;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list.at(-1) !== value) list.push(value);
}

/**
 * The forecast's pairs for worktrees changing `files[i]` each. `skip(i, j)`: a pair that is no
 * candidate whatever it shares (the same commit; one stacked on the other).
 */
export function planForecast(
  files: readonly (readonly string[])[],
  budget: number,
  skip: (i: number, j: number) => boolean = () => false,
): ForecastPlan {
  // Who changes each path as a file, and who changes something below it as a folder.
  const asFile = new Map<string, number[]>();
  const asFolder = new Map<string, number[]>();
  files.forEach((list, i) => {
    for (const file of [...new Set(list)].sort()) {
      push(asFile, file, i);
      for (const folder of foldersOf(file)) push(asFolder, folder, i);
    }
  });
  // A path is shared by pairs of which one side changes it as a file.
  const shared = [...asFile].map(([path, fileSide]) => {
    const inFile = new Set(fileSide);
    const folderSide = (asFolder.get(path) ?? []).filter((i) => !inFile.has(i));
    const weight =
      (fileSide.length * (fileSide.length - 1)) / 2 + fileSide.length * folderSide.length;
    return { path, fileSide, folderSide, weight };
  });
  shared.sort((a, b) => b.weight - a.weight || (a.path < b.path ? -1 : 1));

  // A path shared by more pairs than the budget is grouped whatever else happens: grouping the
  // hottest first, it would be reached before any other. Its pairs are never listed.
  const grouped = new Set(shared.filter((s) => s.weight > budget).map((s) => s.path));
  const pairPaths = new Map<number, string[]>();
  const n = files.length;
  for (const { path, fileSide, folderSide } of shared) {
    if (grouped.has(path)) continue;
    const add = (i: number, j: number) => {
      if (i === j) return;
      const [a, b] = i < j ? [i, j] : [j, i];
      if (skip(a, b)) return;
      const key = a * n + b;
      const list = pairPaths.get(key);
      if (!list) pairPaths.set(key, [path]);
      else if (list.at(-1) !== path) list.push(path);
    };
    fileSide.forEach((i, k) => {
      for (const j of fileSide.slice(k + 1)) add(i, j);
      for (const j of folderSide) add(i, j);
    });
  }
  // Then the hottest of the rest, until the pairs still sharing a path not grouped fit.
  const open = new Map([...pairPaths].map(([key, paths]) => [key, paths.length]));
  const byPath = new Map<string, number[]>();
  for (const [key, paths] of pairPaths) for (const path of paths) push(byPath, path, key);
  let remaining = open.size;
  const hottest = [...byPath].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  for (const [path, keys] of hottest) {
    if (remaining <= budget) break;
    grouped.add(path);
    for (const key of keys) {
      const left = (open.get(key) ?? 0) - 1;
      open.set(key, left);
      if (left === 0) remaining--;
    }
  }

  const pairs: [number, number][] = [...open]
    .filter(([, left]) => left > 0)
    .map(([key]) => [Math.floor(key / n), key % n] as [number, number])
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const crowded = shared
    .filter((s) => grouped.has(s.path))
    .map((s) => ({
      path: s.path,
      members: [...new Set([...s.fileSide, ...s.folderSide])].sort((a, b) => a - b),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { pairs, crowded };
}
