import { realpathSync } from 'node:fs';
import type { Command } from 'commander';
import { loadUserSettings } from '../config/user-file.js';
import { createOutput, type Output } from '../ui/output.js';
import type { CommandModule, CommandResult, Io } from './command.js';
import { createContext, type GlobalOptions } from './context.js';

/**
 * One run of main(): its streams and what the command that ran left behind. Every action of the
 * program main() builds shares it; nothing outlives the run, so main() can run again in the same
 * process (the in-process test runner does).
 */
export interface Session {
  io: Io;
  /** The command line being run (commander's parse loses where a flag stood). */
  argv: readonly string[];
  /** The exit code of the command that ran. */
  exitCode: number;
  /** The output of this run, created once the global flags are known. */
  out: Output | undefined;
  debug: boolean;
}

export function createSession(io: Io, argv: readonly string[] = []): Session {
  return { io, argv, exitCode: 0, out: undefined, debug: false };
}

/** What the boundary prints: the data under --json, the rendering otherwise. */
async function emit(result: CommandResult, out: Output): Promise<void> {
  if (out.json) out.data(result.data);
  else await result.render(out);
}

/**
 * The one lazy-load helper: an action that turns commander's arguments into the command's input
 * (flags parsed into typed values), imports the command module only now, runs it in a context
 * and prints its result. Every command goes through here, the heartbeat included.
 */
export type Lazy = <Args extends unknown[], Input>(
  load: () => Promise<CommandModule<Input>>,
  toInput: (...args: Args) => Input,
) => (...args: Args) => Promise<void>;

export function lazy(session: Session): Lazy {
  return (load, toInput) =>
    async (...args) => {
      const command = args[args.length - 1] as Command;
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { io } = session;
      session.debug = Boolean(globals.debug);
      // First: its colour choice shapes the output; a bad file is exit 2 for every command.
      const user = await loadUserSettings(io.env);
      session.out ??= createOutput({
        json: Boolean(globals.json),
        color: globals.color !== false,
        ...(user.config.color ? { userColor: user.config.color } : {}),
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
      });
      const ctx = createContext(globals, session.out, io, user);
      let failure: unknown = null;
      try {
        const input = toInput(...args);
        const result = await (await load()).run(input, ctx);
        await emit(result, session.out);
        session.exitCode = result.exitCode;
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        const { heartbeatAfter } = await import('../claims/heartbeat.js');
        const out = session.out;
        await heartbeatAfter(failure, ctx.repo, ctx.agent, ctx.now, (text) => out.warn(text));
      }
    };
}

/**
 * The system clock, moved by TMC_ORCH_CLOCK_OFFSET_MS (a whole number of milliseconds, may be
 * negative) when set: a machine whose clock is off, for tests of remote coordination's skew rule.
 */
function processClock(env: NodeJS.ProcessEnv): () => Date {
  const offset = Number(env.TMC_ORCH_CLOCK_OFFSET_MS ?? '0');
  if (!Number.isSafeInteger(offset) || offset === 0) return () => new Date();
  return () => new Date(Date.now() + offset);
}

/** The process's own streams, environment and clock (src/main.ts; the docs script). */
export function processIo(): Io {
  const script = process.argv[1] ?? '';
  let resolved = script;
  try {
    resolved = realpathSync(script);
  } catch {
    // Keep the path as given.
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: touching process.stdin opens it, which only the pre-push hook needs.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    now: processClock(process.env),
    self: { node: process.execPath, script: resolved },
  };
}
