import { UsageError } from '../errors.js';
import { runGit, splitNul } from './run.js';

/** One commit of `git rev-list --parents` output. */
export interface GraphCommit {
  commit: string;
  parents: string[];
}

/**
 * The best common ancestor of all `commits` (`git merge-base --octopus`), or null when they share
 * no history.
 */
export async function mergeBaseOctopus(
  cwd: string,
  commits: readonly string[],
): Promise<string | null> {
  if (commits.length === 0) return null;
  if (commits.length === 1) return commits[0] ?? null;
  const { stdout, exitCode } = await runGit(
    ['merge-base', '--octopus', '--end-of-options', ...commits],
    { cwd, okCodes: [1] },
  );
  return exitCode === 0 ? stdout.trim() || null : null;
}

/**
 * Every commit reachable from `tips` but not from `exclude`, children before parents, with their
 * parents: one process for the whole graph the dashboard needs.
 */
export async function revListGraph(
  cwd: string,
  tips: readonly string[],
  exclude: string | null,
): Promise<GraphCommit[]> {
  if (tips.length === 0) return [];
  const args = ['rev-list', '--parents', '--topo-order', '--end-of-options', ...tips];
  if (exclude) args.push(`^${exclude}`);
  const { stdout } = await runGit(args, { cwd });
  const result: GraphCommit[] = [];
  for (const line of stdout.split('\n')) {
    if (!line) continue;
    const [commit, ...parents] = line.split(' ');
    if (commit) result.push({ commit, parents });
  }
  return result;
}

/**
 * Files changed from `base` to `commit` for many pairs in one `git diff-tree --stdin` process.
 * Renames are not detected, so both the old and the new path are listed.
 */
export async function changedFilesBatch(
  cwd: string,
  pairs: readonly { commit: string; base: string }[],
): Promise<string[][]> {
  if (pairs.length === 0) return [];
  const input = pairs.map((p) => `${p.commit} ${p.base}\n`).join('');
  const { stdout } = await runGit(
    ['diff-tree', '-r', '-z', '--name-only', '--no-renames', '--always', '--stdin'],
    { cwd, input },
  );
  return parseDiffTreeBatch(
    stdout,
    pairs.map((p) => p.commit),
  );
}

/**
 * Parses `diff-tree --stdin --always -z --name-only`: each input line yields its commit id, then
 * the paths. `commits` (in input order) tells headers from paths.
 */
export function parseDiffTreeBatch(stdout: string, commits: readonly string[]): string[][] {
  const result: string[][] = commits.map(() => []);
  let index = -1;
  for (const field of splitNul(stdout)) {
    const next = commits[index + 1];
    if (field === next) {
      index++;
      continue;
    }
    const bucket = result[index];
    if (bucket) bucket.push(field);
  }
  return result;
}

export interface MergeForecast {
  clean: boolean;
  /** Paths with conflicts (empty when clean). */
  files: string[];
}

/**
 * Whether merging `ours` and `theirs` would conflict, from `git merge-tree --write-tree` (writes
 * objects only; no worktree, index or ref is touched). Exit 1 means conflicts.
 */
export async function forecastMerge(
  cwd: string,
  ours: string,
  theirs: string,
): Promise<MergeForecast> {
  const { stdout, exitCode } = await runGit(
    ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', ours, theirs],
    { cwd, okCodes: [1, 129] },
  );
  if (exitCode === 129) {
    // git < 2.38 has only the old merge-tree, which answers with its usage.
    throw new UsageError(
      'conflict forecasts need git 2.38 or newer (git merge-tree --write-tree); upgrade git, or pass --no-conflicts',
    );
  }
  if (exitCode === 0) return { clean: true, files: [] };
  // <tree oid> NUL <path> NUL ... then an empty field before the (suppressed) messages.
  const fields = stdout.split('\0').slice(1);
  const end = fields.indexOf('');
  const files = [...new Set(end === -1 ? fields : fields.slice(0, end))];
  return { clean: false, files };
}

/** The commits of several full ref names in one process; refs that do not exist are absent. */
export async function refCommits(
  cwd: string,
  refs: readonly string[],
): Promise<Map<string, string>> {
  const { stdout } = await runGit(
    ['for-each-ref', '--format=%(refname)%00%(objectname)', '--end-of-options', ...refs],
    { cwd },
  );
  const wanted = new Set(refs);
  const result = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [ref, commit] = line.split('\0');
    if (ref && commit && wanted.has(ref)) result.set(ref, commit);
  }
  return result;
}
