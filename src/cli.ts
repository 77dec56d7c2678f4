import { CommanderError } from 'commander';
import { ExitCode, TmcError } from './errors.js';
import { createSession } from './cli/action.js';
import { hasFlag } from './cli/argv.js';
import type { Io } from './cli/command.js';
import { buildProgram } from './cli/program.js';
import { version } from './cli/version.js';
import { createOutput, type Output } from './ui/output.js';

export type { Io } from './cli/command.js';
export { buildProgram } from './cli/program.js';

/**
 * The entry point: runs one command line and returns its exit code. No state outlives a call
 * (each run has its own session: output, exit code), so it can run again in the same process;
 * only src/main.ts sets the process's exit code. This is the one error boundary that maps errors
 * to exit codes and, under --json, to the one JSON document.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const json = hasFlag(argv, '--json');
  const jsonOut = () =>
    createOutput({ json: true, color: false, stdout: io.stdout, stderr: io.stderr, env: io.env });
  // Agents ask for the version as data too.
  if (json && hasFlag(argv, '--version', '-V')) {
    jsonOut().data({ name: 'tmc-orch', version: version() });
    return 0;
  }
  const session = createSession(io, argv);
  const program = buildProgram(session, { json });
  try {
    await program.parseAsync([...argv]);
    return session.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // Help asked for (tmc-orch help worktree) is 0; help shown because a subcommand is missing
      // or unknown (tmc-orch worktree) is bad usage like any other.
      if (error.code === 'commander.help' && error.exitCode === 0) return 0;
      const message =
        error.code === 'commander.help'
          ? 'a subcommand is missing or unknown; pick one of those listed above (see tmc-orch --help)'
          : error.message;
      if (json) jsonOut().data({ error: { code: 'usage', message, exitCode: ExitCode.usage } });
      return ExitCode.usage;
    }
    const out =
      session.out ??
      createOutput({ json, color: false, stdout: io.stdout, stderr: io.stderr, env: io.env });
    return report(error, out, session.debug);
  }
}

function report(error: unknown, out: Output, debug: boolean): number {
  if (error instanceof TmcError) {
    out.error(`tmc-orch: ${error.message}`);
    if (debug && error.stack) out.error(error.stack);
    if (out.json) {
      // Details first: a detail must never stand in for the code or the process's exit code.
      out.data({
        error: {
          ...error.details,
          code: error.code,
          message: error.message,
          exitCode: error.exitCode,
        },
      });
    }
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.error(
    `tmc-orch: internal error: ${message}${debug ? '' : ' (run with --debug for the stack)'}`,
  );
  if (debug && error instanceof Error && error.stack) out.error(error.stack);
  if (out.json) {
    out.data({ error: { code: 'internal', message, exitCode: ExitCode.internal } });
  }
  return ExitCode.internal;
}
