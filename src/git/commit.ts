import { readTypedObjects } from './objects.js';
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

/**
 * The one `git commit-tree`: a commit of `tree` on `parents` with `message` as it is (read from
 * stdin, no cleanup), reachable from no ref yet. `env` sets who and when; `config` is given
 * with -c.
 */
export async function commitTreeWith(
  cwd: string,
  tree: string,
  parents: readonly string[],
  message: string | Buffer,
  options: { env?: Record<string, string>; config?: readonly string[] } = {},
): Promise<string> {
  const config = (options.config ?? []).flatMap((c) => ['-c', c]);
  const { stdout } = await runGit(
    [...config, 'commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'],
    { cwd, input: message, ...(options.env ? { env: options.env } : {}) },
  );
  return stdout.trim();
}

/** A commit of `tree` on `parents`, by the user (git's identity), reachable from no ref yet. */
export async function commitTree(
  cwd: string,
  tree: string,
  parents: readonly string[],
  message: string,
): Promise<string> {
  return commitTreeWith(cwd, tree, parents, message);
}

/**
 * What a commit says of itself beyond its tree and parents: who wrote it and when, and its
 * message as stored, so that a commit replayed onto another parent keeps them (as git rebase
 * keeps them; the committer is whoever replays it).
 */
export interface Authorship {
  name: string;
  email: string;
  /** git's own date format: seconds since the epoch and the offset, e.g. `1700000000 +0100`. */
  date: string;
  /** The commit's `encoding` header, for a message not in UTF-8; null when there is none. */
  encoding: string | null;
  /** The message, byte for byte. */
  message: Buffer;
}

const AUTHOR = /^author (.*) <([^<>]*)> (\d+ [+-]\d{4})$/;

/** The authorship of a raw commit object (`cat-file commit`); null when it has no author line. */
export function parseAuthorship(raw: Buffer): Authorship | null {
  const end = raw.indexOf('\n\n');
  const headers = raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
  let author: RegExpExecArray | null = null;
  let encoding: string | null = null;
  // Continuation lines (a signature's) start with a space and match neither header.
  for (const line of headers.split('\n')) {
    author ??= AUTHOR.exec(line);
    if (line.startsWith('encoding ')) encoding = line.slice('encoding '.length);
  }
  if (!author) return null;
  const [, name = '', email = '', date = ''] = author;
  const message = end === -1 ? Buffer.alloc(0) : raw.subarray(end + 2);
  return { name, email, date, encoding, message };
}

/** The authorship of each of `commits`, in one `git cat-file --batch`. */
export async function readAuthorships(
  cwd: string,
  commits: readonly string[],
): Promise<Map<string, Authorship>> {
  const objects = await readTypedObjects(cwd, commits);
  const result = new Map<string, Authorship>();
  for (const [commit, object] of objects) {
    const authorship = object?.type === 'commit' ? parseAuthorship(object.content) : null;
    if (!authorship) throw new Error(`commit ${commit} has no author line git can read`);
    result.set(commit, authorship);
  }
  return result;
}

/**
 * A commit of `tree` on `parents` with the authorship of another commit (see Authorship), the
 * user as committer; reachable from no ref yet. commit-tree takes the message as it is (no
 * cleanup), and signs when commit.gpgSign says so, as git rebase would.
 */
export async function commitTreeAs(
  cwd: string,
  tree: string,
  parents: readonly string[],
  from: Authorship,
): Promise<string> {
  return commitTreeWith(cwd, tree, parents, from.message, {
    config: from.encoding === null ? [] : [`i18n.commitEncoding=${from.encoding}`],
    env: {
      GIT_AUTHOR_NAME: from.name,
      GIT_AUTHOR_EMAIL: from.email,
      GIT_AUTHOR_DATE: `@${from.date}`,
    },
  });
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
  return commitTreeWith(cwd, await emptyTree(cwd), parents, message, { env: TOOL_IDENTITY });
}

/**
 * Commits `messages` as messageCommit does, each on the one before, the first on `parent`: one
 * process a message, and one for the tree of them all. The last commit, or `parent` for none.
 */
export async function messageChain(
  cwd: string,
  messages: readonly string[],
  parent: string | null,
): Promise<string | null> {
  if (messages.length === 0) return parent;
  const tree = await emptyTree(cwd);
  let tip = parent;
  for (const message of messages) {
    tip = await commitTreeWith(cwd, tree, tip === null ? [] : [tip], message, {
      env: TOOL_IDENTITY,
    });
  }
  return tip;
}

/** The empty tree, written (its id depends on the repository's hash function). */
async function emptyTree(cwd: string): Promise<string> {
  const { stdout } = await runGit(['hash-object', '-t', 'tree', '-w', '--stdin'], {
    cwd,
    input: '',
  });
  return stdout.trim();
}
