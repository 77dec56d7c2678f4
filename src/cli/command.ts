import type { Agent } from '../config/identity.js';
import type { UserSettings } from '../config/user-file.js';
import type { Repo } from '../repo.js';
import type { HookCommand } from '../linecount/hooks/script.js';
import type { Output } from '../ui/output.js';

/**
 * The shape every command has. A command module exports one `run(input, ctx)`: `input` is one
 * typed object whose flags were parsed at the edge (src/cli/), `ctx` is what every command
 * shares. It returns its data and how to render it; src/cli/action.ts prints `data` under
 * --json and calls `render` otherwise, so --json is decided in one place.
 */

/** The streams, environment and clock of one run of main(): the process's, or a test's. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** The directory the run starts in (before -C). */
  cwd: string;
  /** The clock; tests pass a fixed or moving one. */
  now: () => Date;
  /** The node and script running tmc-orch: what an installed hook records. */
  self: HookCommand;
}

/** What every command receives besides its own input. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: Io['stdin'];
  /** The acting agent's id: explicit, or the <user>@<host> default that only reading may use. */
  agent: string;
  /** Where the id came from; writes that act as an agent pass it to actingAgent(). */
  identity: Agent;
  /** The per-user config file, read (and validated) before the command ran. */
  user: UserSettings;
  out: Output;
  debug: boolean;
  now: () => Date;
  self: HookCommand;
  /** The repository around cwd, opened (and its config validated) on first use. */
  repo(): Promise<Repo>;
}

/** 0: done, the answer is yes; 1: the command ran and the answer is no. Errors are thrown. */
type CommandExit = 0 | 1;

export interface CommandResult<Data = unknown> {
  exitCode: CommandExit;
  /** The one JSON document printed under --json. */
  data: Data;
  /** The human rendering, used when --json is not given. */
  render(out: Output): void | Promise<void>;
}

export interface CommandModule<Input> {
  run(input: Input, ctx: CommandContext): Promise<CommandResult>;
}
