import { loadConfig, resolvePaths, worktreeRootProblem, type ConfigLayers } from './config/load.js';
import { ConfigError } from './errors.js';
import type { Config } from './config/schema.js';
import { refCommits, repoPaths, type RepoPaths } from './git/index.js';

/** Everything a domain operation needs to know about the repository it runs in. */
export interface Repo extends RepoPaths {
  /** Where the command was started (after -C). */
  cwd: string;
  config: Config;
  /** Absolute path of the config file, or null when running on defaults. */
  configFile: string | null;
  /** The per-user defaults and the repository's file under `config`, as written. */
  configLayers: ConfigLayers;
  worktreeRoot: string;
  sharedDir: string;
  /**
   * --offline: under coordination "remote", claims are read from the local mirror and changes
   * are refused.
   */
  offline: boolean;
}

/**
 * The repository around `cwd`, its config read over `userDefaults` (the repository settings of
 * the per-user config, see userRepositoryDefaults).
 */
export async function openRepo(
  cwd: string,
  userDefaults: Record<string, unknown> = {},
): Promise<Repo> {
  const paths = await repoPaths(cwd);
  const { config, file, layers } = await loadConfig(paths.mainRoot, userDefaults);
  const resolved = resolvePaths(config, paths.mainRoot);
  const problem = worktreeRootProblem(resolved.worktreeRoot, paths.mainRoot, paths.commonDir);
  if (problem) {
    throw new ConfigError(
      `invalid config ${file ?? '(defaults)'}: worktreeRoot: ${resolved.worktreeRoot} ${problem}; point it at a folder of its own, e.g. ../<repo>-worktrees`,
    );
  }
  return {
    cwd,
    ...paths,
    config,
    configFile: file,
    configLayers: layers,
    ...resolved,
    offline: false,
  };
}

/** The base branch: its short name for people, its full ref name for git, and its commit. */
export interface BaseRef {
  /** `<remote>/<base>` or `<base>`: for messages and JSON, never given to git. */
  base: string;
  /** `refs/remotes/<remote>/<base>` or `refs/heads/<base>`: a branch named `origin/main` cannot stand in. */
  ref: string;
  /** null when the ref does not exist yet. */
  baseCommit: string | null;
}

/**
 * The ref PRs are measured against and worktrees are synced with, and its commit, in one
 * process: `<remote>/<base>` when that remote-tracking branch exists, else the local `<base>`
 * (commit null when neither exists yet).
 */
export async function resolveBase(repo: Repo): Promise<BaseRef> {
  const { base, remote } = repo.config;
  const remoteRef = remote ? `refs/remotes/${remote}/${base}` : null;
  const localRef = `refs/heads/${base}`;
  const found = await refCommits(repo.toplevel, remoteRef ? [remoteRef, localRef] : [localRef]);
  if (remoteRef && found.has(remoteRef)) {
    return { base: `${remote}/${base}`, ref: remoteRef, baseCommit: found.get(remoteRef) ?? null };
  }
  return { base, ref: localRef, baseCommit: found.get(localRef) ?? null };
}

/**
 * The base ref as resolveBase usually finds it, without a git process: `<remote>/<base>` when a
 * remote is set, else the local base. A guess to try: where it names no commit (or two), the
 * caller asks resolveBase.
 */
export function expectedBase(repo: Repo): Omit<BaseRef, 'baseCommit'> {
  const { base, remote } = repo.config;
  if (remote) return { base: `${remote}/${base}`, ref: `refs/remotes/${remote}/${base}` };
  return { base, ref: `refs/heads/${base}` };
}

/** The short name of the base ref, for messages (see resolveBase; give git its ref or commit). */
export async function baseRef(repo: Repo): Promise<string> {
  return (await resolveBase(repo)).base;
}
