import { loadConfig, resolvePaths, worktreeRootProblem } from './config/load.js';
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
  worktreeRoot: string;
  sharedDir: string;
}

export async function openRepo(cwd: string): Promise<Repo> {
  const paths = await repoPaths(cwd);
  const { config, file } = await loadConfig(paths.mainRoot);
  const resolved = resolvePaths(config, paths.mainRoot);
  const problem = worktreeRootProblem(resolved.worktreeRoot, paths.mainRoot, paths.commonDir);
  if (problem) {
    throw new ConfigError(
      `invalid config ${file ?? '(defaults)'}: worktreeRoot: ${resolved.worktreeRoot} ${problem}; point it at a folder of its own, e.g. ../<repo>-worktrees`,
    );
  }
  return { cwd, ...paths, config, configFile: file, ...resolved };
}

/**
 * The ref PRs are measured against and worktrees are synced with, and its commit, in one
 * process: `<remote>/<base>` when that remote-tracking branch exists, else the local `<base>`
 * (commit null when neither exists yet).
 */
export async function resolveBase(
  repo: Repo,
): Promise<{ base: string; baseCommit: string | null }> {
  const { base, remote } = repo.config;
  const remoteRef = remote ? `refs/remotes/${remote}/${base}` : null;
  const localRef = `refs/heads/${base}`;
  const found = await refCommits(repo.toplevel, remoteRef ? [remoteRef, localRef] : [localRef]);
  if (remoteRef && found.has(remoteRef)) {
    return { base: `${remote}/${base}`, baseCommit: found.get(remoteRef) ?? null };
  }
  return { base, baseCommit: found.get(localRef) ?? null };
}

/** The name of the base ref (see resolveBase). */
export async function baseRef(repo: Repo): Promise<string> {
  return (await resolveBase(repo)).base;
}
