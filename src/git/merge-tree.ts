import { UsageError } from '../errors.js';
import { commitTreeWith } from './commit.js';
import { runGit } from './run.js';

/**
 * Merges and rebases computed in git's object store alone, touching no worktree, index or ref:
 * `git merge-tree --write-tree`, the scratch commits it computes with, and the commits a rebase
 * would replay. What sync forecasts and what its undo compares with.
 */

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
 * gives (see forecastRebase in src/sync/forecast.ts).
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

/**
 * A commit object for `tree` with one parent, reachable from no ref (for merge-tree to compute
 * with). A fixed identity and date: no user config is needed, and the same question yields the
 * same object.
 */
export async function scratchCommit(cwd: string, tree: string, parent: string): Promise<string> {
  const who = { name: 'tmc-orch', email: 'tmc-orch@invalid', date: '@0 +0000' };
  return commitTreeWith(cwd, tree, [parent], 'tmc-orch forecast\n', {
    env: {
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_AUTHOR_DATE: who.date,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
      GIT_COMMITTER_DATE: who.date,
    },
  });
}
