/**
 * `planSplit`: an oversized branch as an ordered stack of parts, each under the line limit. Pure:
 * the caller counts the lines (`countLines`) and reads the imports of the changed Go files; the
 * plan is plain data (the JSON of `split --json`) and `renderSplitPlan` turns it into text.
 * Steps: group the files (group.ts), order the groups by imports (order.ts), cut oversized groups
 * by file and pack the units into the fewest parts (pack.ts), then name and explain the parts.
 */
import { UsageError } from '../errors.js';
import { describeGroup, groupFiles, type Group } from './group.js';
import { GROUP_ORDERS, groupNeeds, orderGroups } from './order.js';
import { BUNDLE_ORDERS, packUnits, unitsOf, type Unit } from './pack.js';
import {
  DEFAULT_LIMIT,
  DEFAULT_TARGET,
  type ImportCycle,
  type OversizedFile,
  type SplitInput,
  type SplitPart,
  type SplitPlan,
} from './types.js';

/** What is wrong with a limit and target pair, or null. */
export function splitOptionsProblem(limit: number, target: number): string | null {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    return `--limit ${limit} is not a positive whole number of lines; pass e.g. --limit ${DEFAULT_LIMIT}`;
  }
  if (limit < 2) {
    return `--limit ${limit} leaves no room for a part (a part passes below the limit, with at least 1 line); pass e.g. --limit ${DEFAULT_LIMIT}`;
  }
  if (!Number.isSafeInteger(target) || target < 1) {
    return `--target ${target} is not a positive whole number of lines; pass e.g. --target ${DEFAULT_TARGET}`;
  }
  if (target >= limit) {
    return `--target ${target} must be below --limit ${limit} (a part passes when lines < limit); pass a smaller --target`;
  }
  return null;
}

/** Why an oversized unit cannot get under the limit: each file at the limit, or the bound set. */
function oversizedOf(unit: Unit, limit: number): OversizedFile[] {
  const big = unit.entries.filter((e) => e.file.lines >= limit);
  if (big.length > 0) {
    return big.map(({ file }) => ({
      path: file.path,
      lines: file.lines,
      reason: `${file.lines} counted lines in one file reach the limit of ${limit}: no split gets it under; split the file by hand or raise the limit`,
    }));
  }
  const paths = unit.entries.map((e) => e.file.path);
  return [
    {
      path: unit.entries.find((e) => e.file.lines > 0)!.file.path,
      lines: unit.lines,
      reason: `${unit.lines} counted lines in files that touch the same path (${paths.join(', ')}) reach the limit of ${limit}: they cannot land apart`,
    },
  ];
}

/** The part's name: its dominant group (most lines, first on ties), marked when cut. */
function partName(
  groups: Group[],
  lines: Map<Group, number>,
  spans: Map<Group, number[]>,
  index: number,
): string {
  let top = groups[0]!;
  for (const g of groups) if (lines.get(g)! > lines.get(top)!) top = g;
  const name = top.folder === '' ? '.' : top.folder;
  const span = spans.get(top)!;
  return span.length > 1 ? `${name} (${span.indexOf(index) + 1} of ${span.length})` : name;
}

function partReason(groups: Group[], spans: Map<Group, number[]>, limit: number): string {
  return groups
    .map((g) => {
      const why = describeGroup(g);
      return spans.get(g)!.length > 1
        ? `${why}, cut by file across ${spans.get(g)!.length} parts: ${g.lines} counted lines reach the limit of ${limit}`
        : why;
    })
    .join('; ');
}

export function planSplit(input: SplitInput): SplitPlan {
  const limit = input.limit ?? DEFAULT_LIMIT;
  const target = input.target ?? DEFAULT_TARGET;
  const problem = splitOptionsProblem(limit, target);
  if (problem !== null) throw new UsageError(problem);

  const groups = groupFiles(input.files);
  const needs = groupNeeds(groups, input.goModules ?? [], input.goImports ?? new Map());
  // A few deterministic orders, the first preferred; keep the one with the fewest parts, then
  // the fewest packages cut. Each try is a linear-ish pass; bundle orders only differ for groups
  // that are cut, so they are tried only when one is.
  const cut = groups.some((g) => g.lines >= limit);
  const unitsByOrder = (cut ? BUNDLE_ORDERS : BUNDLE_ORDERS.slice(0, 1)).map(
    (bundleOrder) => new Map(groups.map((g) => [g, unitsOf(g, limit, bundleOrder)])),
  );
  let best: { units: Unit[]; starts: number[]; cuts: number; cycles: ImportCycle[] } | null = null;
  for (const compare of GROUP_ORDERS) {
    const { order, cycles } = orderGroups(groups, needs, compare);
    for (const unitsOfGroup of unitsByOrder) {
      const units = order.flatMap((g) => unitsOfGroup.get(g)!);
      const { starts, cuts } = packUnits(units, target);
      const better =
        !best ||
        starts.length < best.starts.length ||
        (starts.length === best.starts.length && cuts < best.cuts);
      if (better) best = { units, starts, cuts, cycles };
    }
  }
  const { units, starts, cycles } = best!;
  const slices = starts.map((start, k) => units.slice(start, starts[k + 1] ?? units.length));

  const spans = new Map<Group, number[]>();
  slices.forEach((slice, k) => {
    for (const u of slice) {
      const span = spans.get(u.group) ?? [];
      if (span.at(-1) !== k + 1) span.push(k + 1);
      spans.set(u.group, span);
    }
  });
  const byId = new Map(groups.map((g) => [g.id, g]));
  const parts: SplitPart[] = slices.map((slice, k) => {
    const index = k + 1;
    const lines = new Map<Group, number>();
    for (const u of slice) lines.set(u.group, (lines.get(u.group) ?? 0) + u.lines);
    const inPart = [...lines.keys()];
    const dependsOn = new Set<number>();
    for (const g of inPart) {
      const before = [g, ...[...(needs.get(g.id)?.keys() ?? [])].map((id) => byId.get(id)!)];
      for (const d of before) for (const p of spans.get(d) ?? []) if (p < index) dependsOn.add(p);
    }
    return {
      index,
      name: partName(inPart, lines, spans, index),
      lines: slice.reduce((n, u) => n + u.lines, 0),
      files: slice.flatMap((u) =>
        u.entries.map(({ file }) => ({
          path: file.path,
          oldPath: file.oldPath,
          lines: file.lines,
          generated: file.generated,
        })),
      ),
      dependsOn: [...dependsOn].sort((a, b) => a - b),
      reason: partReason(inPart, spans, limit),
    };
  });
  return {
    limit,
    target,
    total: input.files.reduce((n, f) => n + f.lines, 0),
    parts,
    oversized: units.filter((u) => u.oversized).flatMap((u) => oversizedOf(u, limit)),
    cycles,
  };
}
