import { loadConfig, resolvePaths, worktreeRootProblem } from './config/load.js';
import { ConfigError } from './errors.js';
import type { Config } from './config/schema.js';
import { repoPaths, runGit, type RepoPaths } from './git/index.js';

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
 * The ref PRs are measured against and worktrees are synced with: `<remote>/<base>` when that
 * remote-tracking branch exists, else the local `<base>`.
 */
export async function baseRef(repo: Repo): Promise<string> {
  const { base, remote } = repo.config;
  if (remote) {
    const { exitCode } = await runGit(
      ['show-ref', '--verify', '--quiet', `refs/remotes/${remote}/${base}`],
      { cwd: repo.toplevel, okCodes: [1] },
    );
    if (exitCode === 0) return `${remote}/${base}`;
  }
  return base;
}
