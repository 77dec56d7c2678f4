import { runGit, splitNul } from './run.js';

/**
 * Commits made in git's object store alone, from a throw-away index (see withCommitIndex): no
 * worktree, checked-out index or ref is touched, so building them can fail at any point and
 * leave nothing but unreachable objects.
 */

/** A path's state in a tree: its mode and object; mode '000000' for a path the tree lacks. */
export interface TreeEntry {
  mode: string;
  oid: string;
}

const ABSENT = /^0+$/;

/**
 * The state at `to` of every path that differs between two commits (`git diff-tree -r -z
 * --no-renames --raw`): renames as a deletion and an addition, gitlinks as they are.
 */
export async function changedEntries(
  cwd: string,
  from: string,
  to: string,
): Promise<Map<string, TreeEntry>> {
  const { stdout } = await runGit(
    ['diff-tree', '-r', '-z', '--no-renames', '--raw', '--no-abbrev', from, to, '--'],
    { cwd },
  );
  const fields = splitNul(stdout);
  const result = new Map<string, TreeEntry>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // :<old mode> <new mode> <old oid> <new oid> <status>, then the path.
    const [, newMode = '', , newOid = ''] = (fields[i] ?? '').slice(1).split(' ');
    result.set(fields[i + 1] ?? '', { mode: newMode, oid: newOid });
  }
  return result;
}

/** Sets paths of an index file to the given states (mode 000000: removes the path). */
export async function updateIndexEntries(
  cwd: string,
  indexFile: string,
  entries: ReadonlyMap<string, TreeEntry>,
): Promise<void> {
  if (entries.size === 0) return;
  // `--index-info -z`: "<mode> <oid>\t<path>" records; mode 0 deletes the path.
  const input = [...entries]
    .map(([path, e]) =>
      ABSENT.test(e.mode) ? `0 ${e.oid}\t${path}\0` : `${e.mode} ${e.oid}\t${path}\0`,
    )
    .join('');
  await runGit(['update-index', '-z', '--index-info'], {
    cwd,
    input,
    env: { GIT_INDEX_FILE: indexFile },
  });
}

/** The tree of an index file. */
export async function writeTree(cwd: string, indexFile: string): Promise<string> {
  const { stdout } = await runGit(['write-tree'], { cwd, env: { GIT_INDEX_FILE: indexFile } });
  return stdout.trim();
}

/** A commit of `tree` on `parent`, by the user (git's identity), reachable from no ref yet. */
export async function commitTree(
  cwd: string,
  tree: string,
  parent: string,
  message: string,
): Promise<string> {
  const { stdout } = await runGit(['commit-tree', tree, '-p', parent, '-F', '-'], {
    cwd,
    input: message,
  });
  return stdout.trim();
}

/** Who the commits tmc-orch makes for itself are by: no user config is needed to make them. */
const TOOL_IDENTITY = {
  GIT_AUTHOR_NAME: 'tmc-orch',
  GIT_AUTHOR_EMAIL: 'tmc-orch@localhost',
  GIT_COMMITTER_NAME: 'tmc-orch',
  GIT_COMMITTER_EMAIL: 'tmc-orch@localhost',
};

/**
 * A commit of the empty tree whose message is the data (a claim record, a log line), on
 * `parents`, by tmc-orch itself: what a remote's refs carry, since a push sends commits. Reachable
 * from no ref yet.
 */
export async function messageCommit(
  cwd: string,
  message: string,
  parents: readonly string[] = [],
): Promise<string> {
  const tree = (
    await runGit(['hash-object', '-t', 'tree', '-w', '--stdin'], { cwd, input: '' })
  ).stdout.trim();
  const { stdout } = await runGit(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], {
    cwd,
    input: message,
    env: TOOL_IDENTITY,
  });
  return stdout.trim();
}
