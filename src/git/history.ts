import { runGit, splitNul } from './run.js';
import { isObjectId } from './object-id.js';

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

/** A path changed from a base to a commit, with what the commit holds there. */
export interface ChangedFile {
  path: string;
  /** On the commit's side: `000000` and an all-zero id for a deletion. */
  mode: string;
  blob: string;
}

/**
 * Files changed from `base` to `commit` for many pairs in one `git diff-tree --stdin` process
 * (each line `<commit> <base>` diffs the base, as a parent, to the commit). Renames are not
 * detected, so both the old and the new path are listed.
 */
export async function changedFilesBatch(
  cwd: string,
  pairs: readonly { commit: string; base: string }[],
): Promise<ChangedFile[][]> {
  if (pairs.length === 0) return [];
  const input = pairs.map((p) => `${p.commit} ${p.base}\n`).join('');
  const { stdout } = await runGit(
    ['diff-tree', '-r', '-z', '--no-renames', '--always', '--stdin'],
    {
      cwd,
      input,
    },
  );
  return parseDiffTreeBatch(
    stdout,
    pairs.map((p) => p.commit),
  );
}

/**
 * Parses `diff-tree --stdin --always -r -z` (raw records): each input line yields its commit id,
 * then a `:<mode> <mode> <blob> <blob> <status>` field and the path for each changed file.
 * `commits` (in input order) says which header comes next.
 */
export function parseDiffTreeBatch(stdout: string, commits: readonly string[]): ChangedFile[][] {
  const result: ChangedFile[][] = commits.map(() => []);
  const fields = splitNul(stdout);
  let index = -1;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] ?? '';
    if (field.startsWith(':') && index >= 0) {
      const [, mode = '', , blob = ''] = field.slice(1).split(' ');
      result[index]?.push({ path: fields[i + 1] ?? '', mode, blob });
      i++;
    } else if (field === commits[index + 1]) {
      index++;
    }
  }
  return result;
}

/** The tree of a commit. */
export async function treeOf(cwd: string, commit: string): Promise<string> {
  const { stdout } = await runGit(
    ['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`],
    {
      cwd,
    },
  );
  return stdout.trim();
}

/** The trees of several commits (object ids), in one process. */
export async function treesOf(
  cwd: string,
  commits: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(commits)];
  if (unique.length === 0) return new Map();
  // --revs-only: without it rev-parse echoes --end-of-options as a line of its output.
  const { stdout } = await runGit(
    ['rev-parse', '--revs-only', '--end-of-options', ...unique.map((c) => `${c}^{tree}`)],
    { cwd },
  );
  const trees = stdout.trim().split('\n');
  if (trees.length !== unique.length || !trees.every(isObjectId)) {
    throw new Error(`git rev-parse gave ${trees.length} trees for ${unique.length} commits`);
  }
  return new Map(unique.map((commit, i) => [commit, trees[i] as string]));
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

/** The commits of `head` in none of `exclude` (`git rev-list head ^exclude…`). */
export async function commitsBetween(
  cwd: string,
  exclude: readonly string[],
  head: string,
): Promise<string[]> {
  const { stdout } = await runGit(
    ['rev-list', '--end-of-options', head, ...exclude.map((e) => `^${e}`), '--'],
    { cwd },
  );
  return stdout.split('\n').filter(Boolean);
}

/**
 * How many commits of `head` no ref (branch, tag, remote, stash...) and none of `alsoKept` (the
 * HEADs of other worktrees) holds: a detached HEAD's own commits, which removing its worktree
 * would leave to garbage collection.
 */
export async function unheldCommitCount(
  cwd: string,
  head: string,
  alsoKept: readonly string[],
): Promise<number> {
  const { stdout } = await runGit(
    [
      'rev-list',
      '--count',
      // --not flips what follows; the second one ends the refs that are excluded.
      '--not',
      '--glob=refs/*',
      '--not',
      '--end-of-options',
      head,
      ...alsoKept.map((c) => `^${c}`),
      '--',
    ],
    { cwd },
  );
  return Number(stdout.trim());
}

/**
 * The object ids of `paths` in a commit or tree, in one `git cat-file --batch-check`; a path
 * the tree does not have (or that git's line protocol cannot carry) is absent from the map.
 */
export async function pathOids(
  cwd: string,
  treeish: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const asked = [...new Set(paths)].filter((p) => !p.includes('\n'));
  const result = new Map<string, string>();
  if (asked.length === 0) return result;
  const { stdout } = await runGit(['cat-file', '--batch-check=%(objectname)'], {
    cwd,
    input: asked.map((p) => `${treeish}:${p}\n`).join(''),
  });
  const lines = stdout.split('\n');
  asked.forEach((p, i) => {
    const line = lines[i] ?? '';
    if (isObjectId(line)) result.set(p, line);
  });
  return result;
}

/** What `git cherry` says of a branch's commits: how many have an equivalent upstream, how many not. */
export interface CherryCounts {
  /** Commits whose patch-id matches a commit of `upstream` (`-` lines). */
  picked: number;
  /** Commits with no equivalent in `upstream` (`+` lines). */
  unpicked: number;
}

function parseCherry(stdout: string): CherryCounts {
  let picked = 0;
  let unpicked = 0;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('- ')) picked++;
    else if (line.startsWith('+ ')) unpicked++;
  }
  return { picked, unpicked };
}

/**
 * The commits of `head` not in `upstream`, compared with upstream's by patch-id (`git cherry`):
 * a branch whose every commit was cherry-picked or rebased onto upstream has none unpicked.
 */
export async function cherry(cwd: string, upstream: string, head: string): Promise<CherryCounts> {
  const { stdout } = await runGit(['cherry', upstream, head], { cwd });
  return parseCherry(stdout);
}
