/**
 * From ordered groups to parts. A group under the limit is one unit. A group at or over it is cut
 * by file: its files form bundles (a file with its `_test.go`, and files that touch the same path,
 * which never separate), bundles go in path order (or small or large first, when that packs into
 * fewer parts), and a bundle still at or over the limit falls apart into its files. Generated
 * files (0 counted lines) ride with the last piece, where every source they come from is
 * present. A file at or over the limit alone is an oversized unit.
 *
 * Packing keeps the unit order (so a part only needs earlier parts) and cuts it into consecutive
 * parts. A part is valid when it holds at most one unit with counted lines (a group between the
 * target and the limit, or an oversized file, stands alone) or its lines are at most the target.
 * Every stretch inside a valid part is valid, so a dynamic program over cut points finds the
 * fewest parts; among those it cuts as few packages as it can, then balances the parts (least sum
 * of squared lines), then prefers later cuts, which makes it deterministic.
 */
import { isGoTest } from './go-imports.js';
import { byPath, sharedPathSets, type Entry, type Group } from './group.js';

export interface Unit {
  group: Group;
  entries: Entry[];
  lines: number;
  /** One file (or files touching one path) at or over the limit by itself. */
  oversized: boolean;
}

const sum = (entries: readonly Entry[]) => entries.reduce((n, e) => n + e.file.lines, 0);

/** The source files a Go test file is paired with, most specific first (`a_b_test.go` → a_b, a). */
function testStems(path: string): string[] {
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const parts = path.slice(dir.length, -'_test.go'.length).split('_');
  return parts.map((_, i) => `${dir}${parts.slice(0, parts.length - i).join('_')}.go`);
}

/** Bundles of a group's atoms: each test atom joins the atom of its source file, if changed. */
function bundles(atoms: Entry[][]): Entry[][] {
  const atomOf = new Map<string, number>();
  atoms.forEach((atom, i) => atom.forEach((e) => atomOf.set(e.file.path, i)));
  const lead = atoms.map((_, i) => i);
  const root = (i: number): number => (lead[i] === i ? i : root(lead[i]!));
  atoms.forEach((atom, i) => {
    for (const e of atom) {
      if (!isGoTest(e.file.path)) continue;
      const source = testStems(e.file.path)
        .map((p) => atomOf.get(p))
        .find((j) => j !== undefined);
      if (source === undefined) continue;
      const [a, b] = [root(i), root(source)];
      lead[Math.max(a, b)] = Math.min(a, b);
    }
  });
  const joined = new Map<number, Entry[]>();
  atoms.forEach((atom, i) => {
    const r = root(i);
    joined.set(r, [...(joined.get(r) ?? []), ...atom]);
  });
  return [...joined.values()].map((b) => b.sort(byPath));
}

/** In which order the bundles of a cut group go: by path, or small or large bundles first. */
export type BundleOrder = 'path' | 'small-first' | 'large-first';
export const BUNDLE_ORDERS: readonly BundleOrder[] = ['path', 'small-first', 'large-first'];

/** The packing units of one group, in order. */
export function unitsOf(group: Group, limit: number, bundleOrder: BundleOrder = 'path'): Unit[] {
  const unit = (entries: Entry[]): Unit => {
    const lines = sum(entries);
    return { group, entries, lines, oversized: lines >= limit };
  };
  if (group.lines < limit) return [unit(group.entries)];
  const atoms = sharedPathSets(group.entries).map((a) => a.sort(byPath));
  const rides = (atom: Entry[]) => atom.every((e) => e.file.generated && e.file.lines === 0);
  const riders = atoms.filter(rides).flat();
  const units: Unit[] = [];
  const sign = bundleOrder === 'path' ? 0 : bundleOrder === 'small-first' ? 1 : -1;
  const ordered = bundles(atoms.filter((a) => !rides(a))).sort(
    (a, b) => sign * (sum(a) - sum(b)) || byPath(a[0]!, b[0]!),
  );
  for (const bundle of ordered) {
    if (sum(bundle) < limit) {
      units.push(unit(bundle));
    } else {
      units.push(...sharedPathSets(bundle).map((a) => unit(a.sort(byPath))));
    }
  }
  const last = units.at(-1)!;
  last.entries = [...last.entries, ...riders].sort(byPath);
  return units;
}

export interface Packing {
  /** Where each part starts, as unit indexes (the first is 0); [] when there are no units. */
  starts: number[];
  /** How many times a group's units land in different parts. */
  cuts: number;
}

/** The best cut of the units into parts (see the top of the file). O(n·w), w units per part. */
export function packUnits(units: readonly Unit[], target: number): Packing {
  const n = units.length;
  // The lexicographic cost of the best packing of each prefix: parts, packages cut, sum of
  // squared lines; plain arrays, as this loop runs for every stretch that fits in a part.
  const parts = new Float64Array(n + 1).fill(Infinity);
  const cuts = new Float64Array(n + 1);
  const squares = new Float64Array(n + 1);
  const from = new Int32Array(n + 1);
  parts[0] = 0;
  for (let j = 1; j <= n; j++) {
    let lines = 0;
    let counted = 0;
    for (let i = j - 1; i >= 0; i--) {
      const u = units[i]!;
      lines += u.lines;
      if (u.lines > 0) counted++;
      if (counted > 1 && lines > target) break;
      const p = parts[i]! + 1;
      const c = cuts[i]! + (i > 0 && units[i - 1]!.group === u.group ? 1 : 0);
      const q = squares[i]! + lines * lines;
      const better =
        p !== parts[j] ? p < parts[j]! : c !== cuts[j] ? c < cuts[j]! : q < squares[j]!;
      if (better) {
        parts[j] = p;
        cuts[j] = c;
        squares[j] = q;
        from[j] = i;
      }
    }
  }
  const starts: number[] = [];
  for (let j = n; j > 0; j = from[j]!) starts.push(from[j]!);
  return { starts: starts.reverse(), cuts: cuts[n]! };
}
