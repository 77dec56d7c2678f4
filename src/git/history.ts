import { UsageError } from '../errors.js';
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

export interface MergeForecast {
  clean: boolean;
  /** Paths with conflicts (empty when clean). */
  files: string[];
}

/** What `git merge-tree --write-tree` makes of two commits. */
export interface MergeTreeResult extends MergeForecast {
  /** The merged tree; conflicted files in it hold conflict markers. */
  tree: string;
  /** The index entries of the conflicted paths, as a merge in a worktree would leave them. */
  conflicts: { path: string; mode: string; oid: string; stage: number }[];
}

/**
 * Merges `ours` and `theirs` in git's object store alone (`git merge-tree --write-tree`, git 2.38
 * and later): no worktree, index or ref is touched. The merge base is theirs and ours', so
 * `ours` made a child of the parent of `theirs` yields what cherry-picking `theirs` onto `ours`
 * gives (see forecastRebase).
 */
export async function mergeTrees(
  cwd: string,
  ours: string,
  theirs: string,
): Promise<MergeTreeResult> {
  const { stdout, exitCode } = await runGit(
    ['merge-tree', '--write-tree', '-z', '--no-messages', ours, theirs],
    { cwd, okCodes: [1, 129] },
  );
  if (exitCode === 129) {
    // git < 2.38 has only the old merge-tree, which answers with its usage.
    throw new UsageError(
      'conflict forecasts need git 2.38 or newer (git merge-tree --write-tree); upgrade git, or pass --no-conflicts',
    );
  }
  // <tree oid> NUL, then <mode> SP <oid> SP <stage> TAB <path> NUL per conflicted entry.
  const [tree = '', ...fields] = stdout.split('\0');
  const conflicts: MergeTreeResult['conflicts'] = [];
  for (const field of fields) {
    const match = /^(\d+) ([0-9a-f]+) (\d)\t([\s\S]*)$/.exec(field);
    if (!match) break;
    const [, mode = '', oid = '', stage = '0', path = ''] = match;
    conflicts.push({ path, mode, oid, stage: Number(stage) });
  }
  const clean = exitCode === 0;
  return { clean, tree, conflicts, files: clean ? [] : [...new Set(conflicts.map((c) => c.path))] };
}

/**
 * Whether merging `ours` and `theirs` would conflict, from `git merge-tree --write-tree` (writes
 * objects only; no worktree, index or ref is touched).
 */
export async function forecastMerge(
  cwd: string,
  ours: string,
  theirs: string,
): Promise<MergeForecast> {
  const { clean, files } = await mergeTrees(cwd, ours, theirs);
  return { clean, files };
}

/** A commit with its parents and tree. */
export interface CommitInfo {
  commit: string;
  parents: string[];
  tree: string;
}

function parseCommitInfos(stdout: string): CommitInfo[] {
  const result: CommitInfo[] = [];
  for (const line of stdout.split('\n')) {
    const [commit, parents, tree] = line.split('\0');
    if (commit && tree !== undefined) {
      result.push({ commit, parents: parents ? parents.split(' ') : [], tree });
    }
  }
  return result;
}

/**
 * The commits `git rebase <onto>` replays onto `onto`, in order: those of `head` not in `onto`,
 * without merges and without those whose change `onto` already has (patch-id), as git picks them.
 */
export async function rebasePicks(cwd: string, onto: string, head: string): Promise<CommitInfo[]> {
  const { stdout } = await runGit(
    [
      'log',
      '--format=%H%x00%P%x00%T',
      '--reverse',
      '--topo-order',
      '--right-only',
      '--cherry-pick',
      '--no-merges',
      '--end-of-options',
      `${onto}...${head}`,
      '--',
    ],
    { cwd },
  );
  return parseCommitInfos(stdout);
}

/** The merge commits of `head` not in `exclude`, with their parents and tree. */
export async function mergeCommitsIn(
  cwd: string,
  exclude: string,
  head: string,
): Promise<CommitInfo[]> {
  const { stdout } = await runGit(
    ['log', '--format=%H%x00%P%x00%T', '--merges', '--end-of-options', head, `^${exclude}`, '--'],
    { cwd },
  );
  return parseCommitInfos(stdout);
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

/**
 * A commit object for `tree` with one parent, reachable from no ref (for merge-tree to compute
 * with). A fixed identity and date: no user config is needed, and the same question yields the
 * same object.
 */
export async function scratchCommit(cwd: string, tree: string, parent: string): Promise<string> {
  const who = { name: 'tmc-orch', email: 'tmc-orch@invalid', date: '@0 +0000' };
  const { stdout } = await runGit(['commit-tree', tree, '-p', parent, '-m', 'tmc-orch forecast'], {
    cwd,
    env: {
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_AUTHOR_DATE: who.date,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
      GIT_COMMITTER_DATE: who.date,
    },
  });
  return stdout.trim();
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
