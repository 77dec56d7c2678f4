import { ConfigError, GitError, RemoteError, type TmcError } from '../errors.js';
import { runGit, type GitResult } from '../git/run.js';
import type { Repo } from '../repo.js';
import { durationMs } from '../util/duration.js';

/**
 * The transport of remote coordination: the three network operations it needs, each one git
 * process with a timeout. The server decides every change: a push carries the value each ref is
 * expected to hold (`--force-with-lease=<ref>:<expected>`, empty for "must not exist"), the
 * client checks it against the listing it gets, and receive-pack checks it again under the ref's
 * lock when it updates the ref, so of two pushes based on one value exactly one lands.
 *
 * - list: `git ls-remote` of one namespace (one listing, whatever the number of refs);
 * - fetch: the objects the listing named that are not here yet, in one `git fetch` by object id;
 * - push: several refs at once, each with its lease, `--atomic` when they must land together.
 *
 * A network failure or a timeout is a RemoteError saying which remote and what to run next; the
 * caller has changed nothing locally before the remote answered.
 */

export interface RemoteTarget {
  /** Where git runs (the common git dir). */
  cwd: string;
  /** The remote's name (config "remote"). */
  remote: string;
  timeoutMs: number;
}

/** Where remote coordination talks to: config "remote", from the common git dir. */
export function remoteTarget(repo: Repo): RemoteTarget {
  const { remote, remoteCoordination } = repo.config;
  if (remote === '') {
    throw new ConfigError(
      `invalid config ${repo.configFile ?? '(defaults)'}: coordination "remote" needs a remote; set "remote" (e.g. "origin"), or "coordination": "local"`,
    );
  }
  return { cwd: repo.commonDir, remote, timeoutMs: durationMs(remoteCoordination.timeout) };
}

/**
 * The error for a host that rejected a push whose lease still held: it refuses the namespace
 * (many hosts accept only refs/heads/ and refs/tags/), not our value. `deletion`: the push deleted
 * the ref (a release), which hosts may refuse alone (a branch protection rule, or
 * receive.denyDeletes, which covers refs/heads/): claims could then be taken but not released.
 */
export function refusedNamespaceError(repo: Repo, reason: string, deletion = false): ConfigError {
  const { namespace } = repo.config.remoteCoordination;
  const file = repo.configFile ?? '.tmc-orch.json';
  if (deletion) {
    return new ConfigError(
      `remote ${repo.config.remote} refuses to delete refs under ${namespace} (${reason}), so claims there can be taken but not released; allow deleting refs under ${namespace} on the host (its branch protection rules, or receive.denyDeletes for refs/heads/), or use "coordination": "local" in ${file}`,
      { reason },
    );
  }
  const fallback =
    namespace === 'refs/tmc-orch/'
      ? `set "remoteCoordination": { "namespace": "refs/heads/tmc-orch/" } in ${file} (every clone must use the same), then retry`
      : 'ask the host to allow pushes to that namespace, or use "coordination": "local"';
  return new ConfigError(
    `remote ${repo.config.remote} refuses refs under ${namespace} (${reason}); ${fallback}`,
    { reason },
  );
}

/**
 * The error for a listing, fetch or push that failed: a remote this clone does not have is bad
 * config (exit 2); otherwise the remote could not be reached or was too slow (`timedOut`), and a
 * push may or may not have landed: the next read finds out.
 */
function unreachableError(
  target: RemoteTarget,
  what: string,
  cause: string,
  timedOut = false,
): TmcError {
  if (cause.includes(`'${target.remote}' does not appear to be a git repository`)) {
    return new ConfigError(
      `coordination "remote" shares claims through remote ${target.remote}, which this clone does not have; add it (git remote add ${target.remote} <url>, the same remote on every machine), or set "remote" (or "coordination": "local") in the config`,
      { remote: target.remote, cause },
    );
  }
  const within = timedOut ? ` within ${formatSeconds(target.timeoutMs)}` : '';
  const rerun =
    what === 'push'
      ? 're-run the same command (it finds out whether this attempt landed)'
      : 're-run the same command';
  return new RemoteError(
    `could not ${what} on remote ${target.remote}${within} (${cause}); nothing was changed here; check the network and ${rerun}, or read local state only with --offline`,
    { remote: target.remote, cause },
  );
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * The first line git wrote to stderr: the cause, in every transport's wording, except git://,
 * whose "unable to connect to <host>:" leaves the errno for the next line.
 */
export function firstLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const [first = '', second] = lines;
  return first.endsWith(':') && second !== undefined ? `${first} ${second}` : first;
}

async function network(
  target: RemoteTarget,
  what: string,
  args: string[],
  input?: string,
): Promise<GitResult> {
  try {
    return await runGit(args, {
      cwd: target.cwd,
      timeoutMs: target.timeoutMs,
      okCodes: [1, 128],
      ...(input !== undefined ? { input } : {}),
    });
  } catch (error) {
    if (error instanceof GitError) {
      // runGit's own wording for a git it stopped at the timeout.
      const timedOut = error.stderr.startsWith('timed out after');
      throw unreachableError(target, what, firstLine(error.stderr), timedOut);
    }
    throw error;
  }
}

/** Every ref below `prefix` on the remote, with the object it points at: one ls-remote. */
export async function listRemote(
  target: RemoteTarget,
  prefix: string,
): Promise<Map<string, string>> {
  const { stdout, stderr, exitCode } = await network(target, 'list the refs', [
    'ls-remote',
    '--refs',
    '--end-of-options',
    target.remote,
    // ls-remote matches a pattern against the end of each ref name: filtered again below.
    `${prefix}*`,
  ]);
  if (exitCode !== 0) throw unreachableError(target, 'list the refs', firstLine(stderr));
  const refs = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const ref = line.slice(tab + 1);
    if (ref.startsWith(prefix)) refs.set(ref, line.slice(0, tab));
  }
  return refs;
}

/** The object ids among `oids` this repository does not have, in one cat-file. */
async function missingObjects(cwd: string, oids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(oids)];
  if (unique.length === 0) return [];
  const { stdout } = await runGit(['cat-file', '--batch-check=%(objectname)'], {
    cwd,
    input: unique.map((o) => `${o}\n`).join(''),
  });
  return stdout
    .split('\n')
    .filter((l) => l.endsWith(' missing'))
    .map((l) => l.slice(0, l.indexOf(' ')));
}

/**
 * Brings the objects `oids` (commits and what they reach) here, in one fetch by object id, and
 * only those that are missing: a second command with nothing new costs no fetch at all.
 * `negotiate` false skips the exchange of what we already have (claim commits have no parents).
 */
export async function fetchObjects(
  target: RemoteTarget,
  oids: readonly string[],
  negotiate = false,
): Promise<void> {
  const missing = await missingObjects(target.cwd, oids);
  if (missing.length === 0) return;
  const { stderr, exitCode } = await network(target, 'fetch the shared refs', [
    ...(negotiate ? [] : ['-c', 'fetch.negotiationAlgorithm=noop']),
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--no-recurse-submodules',
    '--end-of-options',
    target.remote,
    ...missing,
  ]);
  if (exitCode !== 0) throw unreachableError(target, 'fetch the shared refs', firstLine(stderr));
}

export interface RefUpdate {
  ref: string;
  /** The object to point the ref at; null deletes it. */
  newOid: string | null;
  /** What the remote must hold for the update to land; null: the ref must not exist. */
  expected: string | null;
}

export type PushOutcome =
  | { status: 'pushed' }
  /** The remote refused: the lease failed (another machine changed the ref) or the host refused. */
  | { status: 'rejected'; reason: string };

/** The porcelain status flag of one ref in `git push --porcelain` output. */
export function parsePushPorcelain(stdout: string): Map<string, { ok: boolean; summary: string }> {
  const result = new Map<string, { ok: boolean; summary: string }>();
  for (const line of stdout.split('\n')) {
    const parts = line.split('\t');
    if (parts.length < 3) continue;
    const [flag, refs, summary] = parts as [string, string, string];
    const to = refs.slice(refs.lastIndexOf(':') + 1);
    result.set(to, { ok: flag !== '!', summary });
  }
  return result;
}

/**
 * Pushes `updates` with a lease each. One ref, or several with `--atomic` (all or none): the
 * outcome is the same for all of them. A push that could not reach the remote throws a
 * RemoteError; whether it landed is then unknown, and the next read finds out.
 */
export async function pushWithLease(
  target: RemoteTarget,
  updates: readonly RefUpdate[],
): Promise<PushOutcome> {
  const args = ['push', '--porcelain', '--no-verify'];
  if (updates.length > 1) args.push('--atomic');
  for (const u of updates) args.push(`--force-with-lease=${u.ref}:${u.expected ?? ''}`);
  args.push('--end-of-options', target.remote);
  for (const u of updates) args.push(u.newOid === null ? `:${u.ref}` : `${u.newOid}:${u.ref}`);
  const { stdout, stderr, exitCode } = await network(target, 'push', args);
  const status = parsePushPorcelain(stdout);
  const seen = updates.map((u) => status.get(u.ref));
  if (exitCode === 0 && seen.every((s) => s?.ok === true)) return { status: 'pushed' };
  if (seen.some((s) => s !== undefined)) {
    const bad = seen.find((s) => s !== undefined && !s.ok);
    return { status: 'rejected', reason: bad?.summary ?? firstLine(stderr) };
  }
  throw unreachableError(target, 'push', firstLine(stderr));
}
