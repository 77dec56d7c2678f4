import { Command } from 'commander';
import { escapeForTerminal, escapeJsonText } from '../ui/text.js';
import { createSession, lazy, processIo, type Session } from './action.js';
import { registerClaims } from './claims.js';
import { describeCommand } from './describe.js';
import { registerLinecount } from './linecount.js';
import { registerLog } from './log.js';
import { registerPlan } from './plan.js';
import { registerSetup } from './setup.js';
import { registerSplit } from './split.js';
import { registerCompletion, registerShell } from './shell.js';
import { registerStatus } from './status.js';
import { version } from './version.js';
import { registerWorktrees } from './worktrees.js';

/**
 * The commander program: the global flags and every command, registered by concept. To add a
 * command:
 *
 * 1. `src/commands/<name>.ts` exports `run(input, ctx)` returning `{ exitCode, data, render }`
 *    (see src/cli/command.ts): `input` is one typed object, `data` what --json prints, `render`
 *    the human output. It calls the domain; it never checks --json and never imports another
 *    command (shared renderers live in src/ui/).
 * 2. Register it in the src/cli/<concept>.ts of its concept (a new concept gets its own file,
 *    called below): `.action(lazy(() => import('../commands/<name>.js'), (args…, flags) =>
 *    input))`. The second function turns commander's arguments into the input, parsing flags
 *    into typed values (src/cli/parse.ts): a bad value is a UsageError before anything runs.
 * 3. Run `npm run docs` (README's command reference) and test it through test/helpers/run.ts
 *    (in process) or test/helpers/cli.ts (the built binary).
 */

/** Commander's messages quote what was typed: escaped like any other text, line by line. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** `buildProgram()` alone (no session) serves the docs: its actions are never run. */
export function buildProgram(
  session: Session = createSession(processIo()),
  options: { json: boolean } = { json: false },
): Command {
  const { io } = session;
  const program = new Command('tmc-orch');
  // Before the subcommands: they copy these settings when created.
  program
    .configureHelp(
      options.json
        ? {
            formatHelp: (cmd) =>
              `${escapeJsonText(JSON.stringify(describeCommand(cmd), null, 2))}\n`,
          }
        : {},
    )
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander's own default: the terminal's width, else 80.
      getOutHelpWidth: () => (io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : 80),
      getErrHelpWidth: () => (io.stderr.isTTY && io.stderr.columns ? io.stderr.columns : 80),
      // In --json mode commander's own usage errors still go to stderr; the JSON error document
      // is written by the boundary (src/cli.ts).
      outputError: (text, write) => write(escapeLines(text.trimEnd()) + ' (see tmc-orch --help)\n'),
    })
    .exitOverride()
    .showSuggestionAfterError();
  program
    .description(
      'Coordinate many coding agents on one git repository: worktrees, claims, sync, status, PR size gate.',
    )
    .version(version(), '-V, --version')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option('--json', 'print exactly one JSON document on stdout')
    .option(
      '--agent <id>',
      'the acting agent (default: $TMC_AGENT, else "agent" in ~/.config/tmc-orch/config.json); claim, release, log and removing a claimed worktree need one',
    )
    .option('--no-color', 'no colors (NO_COLOR is honoured too)')
    .option('--debug', 'print stack traces of internal errors')
    .option(
      '--offline',
      'no network: read claims as this clone last saw them (coordination "remote"); sync does not fetch',
    );

  const action = lazy(session);
  registerSetup(program, action);
  registerWorktrees(program, action);
  registerLinecount(program, action);
  registerSplit(program, action);
  registerStatus(program, action);
  registerClaims(program, action);
  registerLog(program, action, session);
  registerShell(program, action);
  // Completion walks the whole program when it runs: commands registered anywhere complete.
  registerCompletion(program, action);
  registerPlan(program, action);
  return program;
}
