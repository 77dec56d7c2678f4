/**
 * What `tmc-orch split` plans from, read from git: the PR's files counted exactly as `lines`
 * counts them (the same countPr, so the parts add up to what the gate sees), and for Go the
 * module path of every go.mod above a changed file and the imports of the changed files at REV.
 * Two cat-file processes on top of the count: the go.mod files and the Go sources are read in one.
 */
import { readObjects } from '../git/index.js';
import { countLines, type LineReport } from '../linecount/count.js';
import { RULE_FILE } from '../linecount/rules.js';
import type { Repo } from '../repo.js';
import { goSourcePaths, parseGoImports, parseGoModulePath, type GoModule } from './go-imports.js';
import { planSplit } from './plan.js';
import type { SplitPlan } from './types.js';

/**
 * The plan of `tmc-orch split`, with where it was measured (named exactly as `lines` names it:
 * the parts add up to what the gate sees): its JSON document.
 */
export interface SplitReport
  extends
    SplitPlan,
    Pick<LineReport, 'base' | 'parent' | 'head' | 'baseCommit' | 'headCommit' | 'mergeBase'> {}

export interface SplitRequest {
  rev?: string;
  base?: string;
  /** Default: lines.limit. */
  limit?: number;
  /** Default: lines.target, kept below the limit. */
  target?: number;
}

/** Every folder above a path, deepest first ('' for the root). */
function foldersAbove(path: string): string[] {
  const folders: string[] = [];
  for (let i = path.lastIndexOf('/'); i !== -1; i = path.lastIndexOf('/', i - 1)) {
    folders.push(path.slice(0, i));
  }
  folders.push('');
  return folders;
}

/**
 * The Go modules holding changed Go files, and the imports of those files as they are at `head`
 * (a deleted file has none). One cat-file process for both.
 */
async function readGoInput(
  cwd: string,
  head: string,
  files: readonly { path: string }[],
): Promise<{ goModules: GoModule[]; goImports: Map<string, string[]> }> {
  const sources = goSourcePaths(files);
  if (sources.length === 0) return { goModules: [], goImports: new Map() };
  const folders = [...new Set(sources.flatMap(foldersAbove))];
  const goMod = (dir: string) => `${head}:${dir === '' ? 'go.mod' : `${dir}/go.mod`}`;
  const source = (path: string) => `${head}:${path}`;
  const objects = await readObjects(cwd, [...folders.map(goMod), ...sources.map(source)]);
  const goModules: GoModule[] = [];
  for (const dir of folders) {
    const text = objects.get(goMod(dir));
    const path = text ? parseGoModulePath(text.toString('utf8')) : null;
    if (path !== null) goModules.push({ dir, path });
  }
  const goImports = new Map<string, string[]>();
  for (const path of sources) {
    const text = objects.get(source(path));
    if (text)
      goImports.set(
        path,
        parseGoImports(text.toString('utf8')).map((i) => i.path),
      );
  }
  return { goModules, goImports };
}

/**
 * The line limit and target of a plan: the flags, else the config. A target from the config is
 * kept below the limit (the config allows them equal; a part passes only below the limit).
 */
function planSizes(
  config: { limit: number; target: number },
  flags: { limit?: number; target?: number },
): { limit: number; target: number } {
  const limit = flags.limit ?? config.limit;
  const target = flags.target ?? Math.max(1, Math.min(config.target, limit - 1));
  return { limit, target };
}

/** Plans the split of REV's PR: what `tmc-orch split` prints. */
export async function planBranchSplit(repo: Repo, request: SplitRequest): Promise<SplitReport> {
  const report: LineReport = await countLines(repo, {
    command: 'split',
    ...(request.rev !== undefined ? { rev: request.rev } : {}),
    ...(request.base !== undefined ? { base: request.base } : {}),
  });
  const { goModules, goImports } = await readGoInput(
    repo.toplevel,
    report.headCommit,
    report.files,
  );
  const sizes = planSizes(repo.config.lines, request);
  const plan = planSplit({
    files: report.files.map((f) => ({
      path: f.path,
      oldPath: f.oldPath,
      lines: f.lines,
      generated: f.generated,
      rule: f.reason === RULE_FILE,
    })),
    ...sizes,
    goModules,
    goImports,
  });
  return {
    base: report.base,
    parent: report.parent,
    head: report.head,
    baseCommit: report.baseCommit,
    headCommit: report.headCommit,
    mergeBase: report.mergeBase,
    ...plan,
  };
}
