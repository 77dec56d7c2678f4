import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { agentProblem, defaultAgentId, userConfigPath, type Agent } from '../config/identity.js';
import type { Repo } from '../repo.js';
import type { Output } from '../ui/output.js';
import { readRegularTextOrNull } from '../util/fs.js';
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
async function resolveAgent(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<Agent> {
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
  const file = userConfigPath(env);
  let text: string | null;
  try {
    text = await readRegularTextOrNull(file);
  } catch (error) {
    // The config loader (zod) only on this rare path.
    const { configReadError } = await import('../config/load.js');
    throw configReadError(file, error);
  }
  if (text !== null) {
    // zod only when there is a file: --agent or TMC_AGENT, or no file, cost nothing.
    const { parseUserConfig } = await import('../config/user.js');
    const { agent } = parseUserConfig(text, file);
    if (agent !== undefined) return { explicit: true, id: agent, source: 'file' };
  }
  return { explicit: false, id: defaultAgentId(), userConfig: file };
}

function resolveCwd(flag: string | undefined, start: string): string {
  const cwd = path.resolve(start, flag ?? '.');
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new UsageError(`-C ${flag ?? cwd}: no such directory; pass an existing directory`);
  }
  return cwd;
}

export async function createContext(
  globals: GlobalOptions,
  out: Output,
  io: Io,
): Promise<CommandContext> {
  const cwd = resolveCwd(globals.cwd, io.cwd);
  const identity = await resolveAgent(globals.agent, io.env);
  let repo: Promise<Repo> | undefined;
  return {
    cwd,
    env: io.env,
    stdin: io.stdin,
    agent: identity.id,
    identity,
    out,
    debug: Boolean(globals.debug),
    now: io.now,
    self: io.self,
    // Loaded on first use: --version and --help need no git, config or zod.
    repo: () =>
      (repo ??= import('../repo.js')
        .then(({ openRepo }) => openRepo(cwd))
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
