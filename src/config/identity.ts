import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Who is acting. An agent id comes from --agent, else $TMC_AGENT, else the per-user config file
 * (key "agent"). Without one, commands that only read use <user>@<host>; commands that act as an
 * agent (claim, release, log, removing a claimed worktree) refuse: every agent of one user on one
 * machine has that same default, so one agent's claim would be "renewed" by the next.
 */

const AGENT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;
const MAX_AGENT_LENGTH = 64;

/** Why `agent` is not a valid agent id, or null when it is. */
export function agentProblem(agent: string): string | null {
  if (agent === '') return 'is empty';
  if (agent.length > MAX_AGENT_LENGTH) return `is longer than ${MAX_AGENT_LENGTH} characters`;
  if (!AGENT_PATTERN.test(agent)) {
    return 'must start with a letter or digit and contain only letters, digits, ".", "_", "@", "+" and "-"';
  }
  return null;
}

export type Agent =
  | { explicit: true; id: string; source: 'flag' | 'env' | 'user' }
  | { explicit: false; id: string; /** Where an id could be written. */ userConfig: string };

/** $XDG_CONFIG_HOME/tmc-orch/config.json, else ~/.config/tmc-orch/config.json. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  // The XDG spec: a relative or empty value is to be ignored.
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'tmc-orch', 'config.json');
}

/** <user>@<host>, made a valid id: the reading default, shared by every agent of the user. */
export function defaultAgentId(): string {
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

/** The id of an agent that acts (`doing`, e.g. "claim"), or exit 2 saying how to set one. */
export function actingAgent(agent: Agent, doing: string): string {
  if (agent.explicit) return agent.id;
  throw new UsageError(
    `${doing} acts as an agent, and no agent id is set (the default ${agent.id} is the same for every agent of this user on this machine); pass --agent <id>, set TMC_AGENT=<id>, or write {"agent": "<id>"} into ${agent.userConfig}`,
  );
}
