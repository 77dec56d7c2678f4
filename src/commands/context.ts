import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { openRepo, type Repo } from '../repo.js';
import type { Output } from '../ui/output.js';

/** What every command receives besides its own options. */
export interface CommandContext {
  cwd: string;
  agent: string;
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

const AGENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;
export const MAX_AGENT_LENGTH = 64;

export function agentProblem(agent: string): string | null {
  if (agent === '') return 'is empty';
  if (agent.length > MAX_AGENT_LENGTH) return `is longer than ${MAX_AGENT_LENGTH} characters`;
  if (!AGENT_PATTERN.test(agent)) {
    return 'must start with a letter or digit and contain only letters, digits, ".", "_", "@", "+" and "-"';
  }
  return null;
}

/** --agent, else $TMC_AGENT, else <user>@<host> (made safe). */
export function resolveAgent(flag: string | undefined, env = process.env): string {
  const given = flag ?? (env.TMC_AGENT || undefined);
  if (given !== undefined) {
    const problem = agentProblem(given);
    if (problem) {
      const source = flag !== undefined ? '--agent' : 'TMC_AGENT';
      throw new UsageError(
        `invalid agent id ${JSON.stringify(given)} (${source}): it ${problem}; use an id like agent-3`,
      );
    }
    return given;
  }
  let user = 'user';
  try {
    user = os.userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep the fallback.
  }
  const safe = `${user}@${os.hostname()}`
    .replace(/[^A-Za-z0-9._@+-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return (safe || 'agent').slice(0, MAX_AGENT_LENGTH);
}

export function resolveCwd(flag: string | undefined): string {
  const cwd = path.resolve(flag ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new UsageError(`-C ${flag ?? cwd}: no such directory; pass an existing directory`);
  }
  return cwd;
}

export function createContext(globals: GlobalOptions, out: Output): CommandContext {
  const cwd = resolveCwd(globals.cwd);
  const agent = resolveAgent(globals.agent);
  let repo: Promise<Repo> | undefined;
  return {
    cwd,
    agent,
    out,
    debug: Boolean(globals.debug),
    repo: () => (repo ??= openRepo(cwd)),
  };
}
