/**
 * Which changed files belong together. A group is a folder: for Go, a package with its tests
 * (`x_test.go` sits beside `x.go`), its `testdata/` and its generated files (which cost nothing
 * and ride with the sources they come from). Two refinements tie files across folders:
 *
 * - A CRD under a `crds/` folder named the controller-gen way, `<group>_<plural>.yaml` (e.g.
 *   `config/crds/tmc.kcp.io_clusters.yaml`), rides with the changed Go package of its API group:
 *   a folder `…/api(s)/…/<label>/<version>` where `<label>` is the group's first DNS label (`tmc`)
 *   or the whole group, and `<version>` a Kubernetes version (`v1alpha1`); the `api(s)` segment
 *   keeps generated clients (`pkg/client/…/tmc/v1alpha1`) out. Among several versions it rides
 *   with the highest (v1 > v1beta2 > v1beta1 > v1alpha1, then by path) and comes after the
 *   others, since a CRD describes every version. No match: it stays in its folder.
 * - Files that touch the same path (a rename away from `a` and a new file at `a`, or a file `a`
 *   where the folder `a/` was) must land in one part, or no part's tree could be "merge base or
 *   head" path by path; their groups merge.
 */
import { compareText, isGoTest, isPackageGo } from './go-imports.js';
import type { SplitFile } from './types.js';

export type GroupKind = 'code' | 'e2e' | 'docs' | 'rules';

/** A changed file and its position in the input (two records may share a path). */
export interface Entry {
  file: SplitFile;
  index: number;
}

export interface Group {
  id: string;
  kind: GroupKind;
  folder: string;
  /** Sorted by path, then input position. */
  entries: Entry[];
  lines: number;
  /** Ids of groups this one should follow besides its imports (other versions of its CRDs). */
  after: string[];
  /** CRD paths tied into this group from elsewhere, with their API group. */
  crds: { path: string; apiGroup: string }[];
  /** Folders of groups merged into this one because their files touch the same path. */
  merged: string[];
}

const VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const CRD_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+)_[^/]+\.ya?ml$/;

const dirOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
const baseOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The kind and folder of a file's group: testdata belongs to the package that holds it. */
export function classify(path: string): { kind: GroupKind; folder: string } {
  const dirs = path.split('/').slice(0, -1);
  const testdata = dirs.indexOf('testdata');
  const folder = (testdata >= 0 ? dirs.slice(0, testdata) : dirs).join('/');
  const e2e = path.startsWith('test/e2e/');
  if (testdata < 0 && (path.startsWith('docs/') || /\.md$/i.test(path))) {
    return { kind: 'docs', folder };
  }
  return { kind: e2e ? 'e2e' : 'code', folder };
}

/** Sort key of a Kubernetes version: GA above beta above alpha, then by number. */
function versionRank(version: string): number[] {
  const match = VERSION.exec(version);
  if (!match) return [-1];
  const stage = match[2] === undefined ? 2 : match[2] === 'beta' ? 1 : 0;
  return [Number(match[1]), stage, Number(match[3] ?? 0)];
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The API group a CRD file is named for, or null when it is not a controller-gen CRD. */
function crdApiGroup(path: string): string | null {
  if (!dirOf(path).split('/').includes('crds')) return null;
  return CRD_NAME.exec(baseOf(path))?.[1] ?? null;
}

/** The changed Go package folders a CRD of `apiGroup` describes, best (highest version) first. */
function apiPackages(apiGroup: string, goFolders: readonly string[]): string[] {
  const label = apiGroup.split('.')[0];
  const matches = goFolders.filter((folder) => {
    const parts = folder.split('/');
    const version = parts.at(-1) ?? '';
    const owner = parts.at(-2);
    const api = parts.slice(0, -2).some((p) => p === 'apis' || p === 'api');
    return api && VERSION.test(version) && (owner === label || owner === apiGroup);
  });
  return matches.sort(
    (a, b) => compareRank(versionRank(baseOf(b)), versionRank(baseOf(a))) || compareText(a, b),
  );
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }
  /** Joins two sets; the smaller key leads, so the result is independent of call order. */
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

/**
 * Sets of entries that touch a common path (path or old path), each in input order. A path that
 * is a folder of another changed path counts as common too (a file `x` where the folder `x/`
 * was): no tree holds both, so one cannot land without the other.
 */
export function sharedPathSets(entries: readonly Entry[]): Entry[][] {
  const uf = new UnionFind();
  const key = (e: Entry) => `#${String(e.index).padStart(12, '0')}`;
  const paths = new Set<string>();
  for (const e of entries) {
    paths.add(e.file.path);
    if (e.file.oldPath !== null) paths.add(e.file.oldPath);
  }
  for (const e of entries) {
    for (const path of e.file.oldPath === null ? [e.file.path] : [e.file.path, e.file.oldPath]) {
      uf.union(key(e), `p:${path}`);
      for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
        const folder = path.slice(0, i);
        if (paths.has(folder)) uf.union(key(e), `p:${folder}`);
      }
    }
  }
  const sets = new Map<string, Entry[]>();
  for (const e of entries) {
    const root = uf.find(key(e));
    const set = sets.get(root);
    if (set) set.push(e);
    else sets.set(root, [e]);
  }
  return [...sets.values()];
}

export const byPath = (a: Entry, b: Entry): number =>
  compareText(a.file.path, b.file.path) || a.index - b.index;

/** The groups of a change set, sorted by id; every input file is in exactly one. */
export function groupFiles(files: readonly SplitFile[]): Group[] {
  const entries = files.map((file, index) => ({ file, index }));
  const idOf = new Map<Entry, string>();
  const groups = new Map<string, Group>();
  const ensure = (kind: GroupKind, folder: string): Group => {
    const id = `${kind}:${folder}`;
    let group = groups.get(id);
    if (!group) {
      group = { id, kind, folder, entries: [], lines: 0, after: [], crds: [], merged: [] };
      groups.set(id, group);
    }
    return group;
  };
  for (const e of entries) {
    // The counting rules form one group, placed last (see SplitFile.rule).
    const { kind, folder } = e.file.rule
      ? { kind: 'rules' as const, folder: '' }
      : classify(e.file.path);
    idOf.set(e, ensure(kind, folder).id);
  }
  const goFolders = [
    ...new Set(
      entries.filter((e) => isPackageGo(e.file.path)).map((e) => classify(e.file.path).folder),
    ),
  ].filter((folder) => groups.has(`code:${folder}`));
  for (const e of entries) {
    const apiGroup = crdApiGroup(e.file.path);
    if (apiGroup === null) continue;
    const [best, ...others] = apiPackages(apiGroup, goFolders);
    if (best === undefined) continue;
    const target = groups.get(`code:${best}`)!;
    idOf.set(e, target.id);
    target.crds.push({ path: e.file.path, apiGroup });
    for (const other of others) {
      if (!target.after.includes(`code:${other}`)) target.after.push(`code:${other}`);
    }
  }
  const uf = new UnionFind();
  for (const set of sharedPathSets(entries)) {
    for (const e of set) uf.union(idOf.get(set[0]!)!, idOf.get(e)!);
  }
  for (const e of entries) {
    const home = groups.get(uf.find(idOf.get(e)!))!;
    home.entries.push(e);
    home.lines += e.file.lines;
  }
  for (const group of groups.values()) {
    const root = uf.find(group.id);
    if (root === group.id) continue;
    const home = groups.get(root)!;
    home.merged.push(group.folder);
    home.after.push(...group.after.filter((id) => !home.after.includes(id)));
    home.crds.push(...group.crds);
  }
  return [...groups.values()]
    .filter((g) => uf.find(g.id) === g.id && g.entries.length > 0)
    .map((g) => ({
      ...g,
      entries: g.entries.sort(byPath),
      after: [...new Set(g.after.map((id) => uf.find(id)))].filter((id) => id !== g.id).sort(),
      crds: g.crds.sort((a, b) => compareText(a.path, b.path)),
      merged: g.merged.sort(compareText),
    }))
    .sort((a, b) => compareText(a.id, b.id));
}

/** Why a group's files travel together, for people. */
export function describeGroup(group: Group): string {
  const paths = group.entries.map((e) => e.file.path);
  const go = paths.some(isPackageGo);
  const where = group.folder === '' ? 'the repository root' : group.folder;
  if (group.kind === 'rules') {
    return `counting rules (${paths.join(', ')}), last: each part is counted by the rules of the part below it, so every part before is counted as planned, by the rules of the merge base`;
  }
  let text =
    group.kind === 'docs'
      ? `docs in ${where}`
      : group.kind === 'e2e'
        ? `e2e tests in ${where}`
        : go
          ? `Go package ${where}`
          : `folder ${where}`;
  const extras: string[] = [];
  if (group.kind !== 'e2e' && paths.some((p) => isGoTest(p) || `/${p}`.includes('/testdata/'))) {
    extras.push('its tests');
  }
  const generated = group.entries.filter((e) => e.file.generated).length;
  if (generated > 0) {
    extras.push(`${generated} generated file${generated === 1 ? '' : 's'} (0 counted lines)`);
  }
  if (extras.length > 0) text += ` with ${extras.join(' and ')}`;
  for (const crd of group.crds) text += `; CRD ${crd.path} (API group ${crd.apiGroup})`;
  if (group.merged.length > 0) {
    text += `; files of ${group.merged.join(', ')} that touch the same paths (renames)`;
  }
  return text;
}
