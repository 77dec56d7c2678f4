/**
 * The order of the groups: each after the groups it needs (Go imports inside the repository's
 * modules, and the API versions a CRD describes), so every part of the stack builds on the parts
 * before it. Among groups free to go, the order is by kind (code, then e2e tests, then docs, then
 * the counting rules, see SplitFile.rule), then folder depth, then folder name; the planner also
 * tries a few other tie-breaks (GROUP_ORDERS) and keeps the first that packs into the fewest
 * parts. Import cycles are strongly connected components: each is placed as a block, members
 * greedily by fewest unplaced imports (build imports weigh before test imports, then the same
 * key), and the imports that point forward are reported.
 */
import { compareText, goImportFolder, isGoTest, isPackageGo, type GoModule } from './go-imports.js';
import { classify, type Group } from './group.js';
import type { ImportCycle } from './types.js';

/** What a group needs before it: group id → whether only its tests need it. */
export type Needs = Map<string, Map<string, { test: boolean }>>;

const KIND_RANK = { code: 0, e2e: 1, docs: 2, rules: 3 } as const;
const depth = (g: Group) => (g.folder === '' ? 0 : g.folder.split('/').length);
const byName = (a: Group, b: Group) => compareText(a.folder, b.folder) || compareText(a.id, b.id);

/** Which group goes first among those free to go; always by kind first. */
export type GroupOrder = (a: Group, b: Group) => number;

/**
 * The orders the planner tries, the first preferred on equal packings: by folder depth (the
 * issue's rule), by path (siblings side by side), small groups first, large groups first.
 */
export const GROUP_ORDERS: readonly GroupOrder[] = [
  (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || depth(a) - depth(b) || byName(a, b),
  (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || byName(a, b),
  (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.lines - b.lines || byName(a, b),
  (a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.lines - a.lines || byName(a, b),
];

/** Whether `to` can be reached from `from` along needs. */
function reaches(needs: Needs, from: string, to: string): boolean {
  const seen = new Set([from]);
  const stack = [from];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (id === to) return true;
    for (const next of needs.get(id)?.keys() ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}

/** The needs of each group: its Go files' imports of changed packages, and its `after` list. */
export function groupNeeds(
  groups: readonly Group[],
  modules: readonly GoModule[],
  imports: ReadonlyMap<string, readonly string[]>,
): Needs {
  const byFolder = new Map<string, string>();
  for (const g of groups) {
    for (const e of g.entries) {
      if (isPackageGo(e.file.path)) byFolder.set(classify(e.file.path).folder, g.id);
    }
  }
  const needs: Needs = new Map(groups.map((g) => [g.id, new Map()]));
  const add = (from: string, to: string, test: boolean) => {
    if (from === to) return;
    const edges = needs.get(from)!;
    const known = edges.get(to);
    if (!known || (known.test && !test)) edges.set(to, { test });
  };
  for (const g of groups) {
    for (const e of g.entries) {
      if (!isPackageGo(e.file.path)) continue;
      for (const importPath of imports.get(e.file.path) ?? []) {
        const folder = goImportFolder(importPath, modules);
        const to = folder === null ? undefined : byFolder.get(folder);
        if (to !== undefined) add(g.id, to, isGoTest(e.file.path));
      }
    }
  }
  // A CRD's other API versions are wished, not needed: an old version often imports the hub
  // version the CRD rides with, and a wish never makes a cycle.
  for (const g of groups) {
    for (const id of g.after) if (!reaches(needs, id, g.id)) add(g.id, id, false);
  }
  return needs;
}

/** Tarjan's strongly connected components of the needs graph, each in group order. */
function components(groups: readonly Group[], needs: Needs, compare: GroupOrder): Group[][] {
  // groups come sorted by `compare`.
  const byId = new Map(groups.map((g) => [g.id, g]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: Group[][] = [];
  const visit = (id: string) => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    stack.push(id);
    onStack.add(id);
    for (const to of needs.get(id)?.keys() ?? []) {
      if (!byId.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(id, Math.min(low.get(id)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(id, Math.min(low.get(id)!, index.get(to)!));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const members: Group[] = [];
    for (;;) {
      const top = stack.pop()!;
      onStack.delete(top);
      members.push(byId.get(top)!);
      if (top === id) break;
    }
    result.push(members.sort(compare));
  };
  for (const g of groups) if (!index.has(g.id)) visit(g.id);
  return result;
}

/** The members of a cycle in a deterministic order that defers as few imports as it can. */
function orderCycle(members: Group[], needs: Needs): Group[] {
  const left = new Set(members.map((g) => g.id));
  const placed: Group[] = [];
  const unplaced = (g: Group) => {
    let build = 0;
    let test = 0;
    for (const [to, edge] of needs.get(g.id) ?? []) {
      if (left.has(to) && to !== g.id) {
        if (edge.test) test++;
        else build++;
      }
    }
    return [build, test];
  };
  while (left.size > 0) {
    let best: Group | null = null;
    let bestCost = [Infinity, Infinity];
    for (const g of members) {
      if (!left.has(g.id)) continue;
      const cost = unplaced(g);
      if (cost[0]! < bestCost[0]! || (cost[0] === bestCost[0] && cost[1]! < bestCost[1]!)) {
        best = g;
        bestCost = cost;
      }
    }
    placed.push(best!);
    left.delete(best!.id);
  }
  return placed;
}

/** The groups in stack order, and the import cycles that had to be broken. */
export function orderGroups(
  groups: readonly Group[],
  needs: Needs,
  compare: GroupOrder = GROUP_ORDERS[0]!,
): { order: Group[]; cycles: ImportCycle[] } {
  // One sort, then integer ranks: the compare functions split paths, too slow to call in loops.
  const sorted = [...groups].sort(compare);
  const rank = new Map(sorted.map((g, i) => [g.id, i]));
  const comps = components(sorted, needs, (a, b) => rank.get(a.id)! - rank.get(b.id)!);
  const compOf = new Map<string, number>();
  comps.forEach((members, i) => members.forEach((g) => compOf.set(g.id, i)));
  // Kahn's algorithm over the components, lowest key first among those ready.
  const waiting = comps.map(() => 0);
  const dependents = comps.map(() => new Set<number>());
  comps.forEach((members, i) => {
    for (const g of members) {
      for (const to of needs.get(g.id)?.keys() ?? []) {
        const j = compOf.get(to);
        if (j === undefined || j === i || dependents[j]!.has(i)) continue;
        dependents[j]!.add(i);
        waiting[i]!++;
      }
    }
  });
  // Components in key order, so the first ready one in this list is the one to place.
  const byKey = comps
    .map((members, i) => ({ i, key: rank.get(members[0]!.id)! }))
    .sort((a, b) => a.key - b.key)
    .map((c) => c.i);
  const ready = waiting.map((n) => n === 0);
  const order: Group[] = [];
  const cycles: ImportCycle[] = [];
  for (let placed = 0; placed < comps.length; placed++) {
    const next = byKey.find((i) => ready[i]);
    if (next === undefined) break;
    ready[next] = false;
    waiting[next] = -1;
    const members = comps[next]!;
    if (members.length === 1) {
      order.push(members[0]!);
    } else {
      const placed = orderCycle(members, needs);
      const position = new Map(placed.map((g, i) => [g.id, i]));
      const deferred: ImportCycle['deferred'] = [];
      for (const g of placed) {
        for (const [to, edge] of needs.get(g.id) ?? []) {
          const at = position.get(to);
          if (at !== undefined && at > position.get(g.id)!) {
            deferred.push({ from: g.folder, to: placed[at]!.folder, test: edge.test });
          }
        }
      }
      deferred.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
      order.push(...placed);
      cycles.push({ packages: placed.map((g) => g.folder), deferred });
    }
    for (const j of dependents[next]!) if (--waiting[j]! === 0) ready[j] = true;
  }
  return { order, cycles };
}
