import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { agentProblem, defaultAgentId, type Agent } from '../config/identity.js';
import { userRepositoryDefaults, type UserSettings } from '../config/user-file.js';
import type { Repo } from '../repo.js';
import type { Output } from '../ui/output.js';
import type { CommandContext, Io } from './command.js';

/** The global flags, as commander parses them. */
export interface GlobalOptions {
  cwd?: string;
  json?: boolean;
  agent?: string;
  color?: boolean;
  debug?: boolean;
  offline?: boolean;
}

/** --agent, else $TMC_AGENT, else "agent" in the per-user config file, else the default. */
function resolveAgent(flag: string | undefined, env: NodeJS.ProcessEnv, user: UserSettings): Agent {
  const given = flag ?? (env.TMC_AGENT || undefined);
  if (given !== undefined) {
    const problem = agentProblem(given);
    if (problem) {
      const source = flag !== undefined ? '--agent' : 'TMC_AGENT';
      throw new UsageError(
        `invalid agent id ${JSON.stringify(given)} (${source}): it ${problem}; use an id like agent-3`,
      );
    }
    return { explicit: true, id: given, source: flag !== undefined ? 'flag' : 'env' };
  }
  // Validated with the rest of the file.
  if (user.config.agent !== undefined)
    return { explicit: true, id: user.config.agent, source: 'user' };
  return { explicit: false, id: defaultAgentId(), userConfig: user.file };
}

function resolveCwd(flag: string | undefined, start: string): string {
  const cwd = path.resolve(start, flag ?? '.');
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new UsageError(`-C ${flag ?? cwd}: no such directory; pass an existing directory`);
  }
  return cwd;
}

export function createContext(
  globals: GlobalOptions,
  out: Output,
  io: Io,
  user: UserSettings,
): CommandContext {
  const cwd = resolveCwd(globals.cwd, io.cwd);
  const identity = resolveAgent(globals.agent, io.env, user);
  let repo: Promise<Repo> | undefined;
  return {
    cwd,
    env: io.env,
    // A getter, as io's: touching process.stdin opens it, which only the pre-push hook needs.
    get stdin() {
      return io.stdin;
    },
    agent: identity.id,
    identity,
    user,
    out,
    debug: Boolean(globals.debug),
    now: io.now,
    self: io.self,
    // Loaded on first use: --version and --help need no git, config or zod.
    repo: () =>
      (repo ??= import('../repo.js')
        .then(({ openRepo }) => openRepo(cwd, userRepositoryDefaults(user.config)))
        .then((r) => offlineRepo(r, Boolean(globals.offline), out))),
  };
}

/** The repository as --offline sees it, with the warning that its claims may be out of date. */
function offlineRepo(repo: Repo, offline: boolean, out: Output): Repo {
  if (!offline) return repo;
  if (repo.config.coordination === 'remote') {
    out.warn(
      '--offline: claims are read as this clone last saw them on the remote; they may be out of date',
    );
  }
  return { ...repo, offline: true };
}
