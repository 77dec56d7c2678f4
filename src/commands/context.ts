import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { agentProblem, defaultAgentId, userConfigPath, type Agent } from '../config/identity.js';
import { openRepo, type Repo } from '../repo.js';
import type { Output } from '../ui/output.js';
import { readRegularTextOrNull } from '../util/fs.js';
import { configReadError } from '../config/load.js';

/** What every command receives besides its own options. */
export interface CommandContext {
  cwd: string;
  /** The acting agent's id: explicit, or the <user>@<host> default that only reading may use. */
  agent: string;
  /** Where the id came from; writes that act as an agent pass it to actingAgent(). */
  identity: Agent;
  out: Output;
  debug: boolean;
  /** The repository around cwd, opened (and its config validated) on first use. */
  repo(): Promise<Repo>;
}

export interface GlobalOptions {
  cwd?: string;
  json?: boolean;
  agent?: string;
  color?: boolean;
  debug?: boolean;
}

/** --agent, else $TMC_AGENT, else "agent" in the per-user config file, else the default. */
export async function resolveAgent(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Agent> {
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

export function resolveCwd(flag: string | undefined): string {
  const cwd = path.resolve(flag ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new UsageError(`-C ${flag ?? cwd}: no such directory; pass an existing directory`);
  }
  return cwd;
}

export async function createContext(globals: GlobalOptions, out: Output): Promise<CommandContext> {
  const cwd = resolveCwd(globals.cwd);
  const identity = await resolveAgent(globals.agent);
  let repo: Promise<Repo> | undefined;
  return {
    cwd,
    agent: identity.id,
    identity,
    out,
    debug: Boolean(globals.debug),
    repo: () => (repo ??= openRepo(cwd)),
  };
}
