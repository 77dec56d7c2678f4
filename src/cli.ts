import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createContext, type CommandContext, type GlobalOptions } from './commands/context.js';
import type { InitFlags } from './commands/init.js';
import { ExitCode, TmcError } from './errors.js';
import { createOutput, type Output } from './ui/output.js';
import { escapeForTerminal } from './ui/text.js';

/**
 * The only module that knows commander: it declares every command and global flag, imports the
 * command module lazily, and is the one error boundary that maps errors to exit codes.
 */

/** package.json, found upwards from this file: dist/ when compiled, dist/bundle/ when bundled. */
function readPackage(): { version: string } {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === 'tmc-orch') return pkg;
    } catch {
      // Not at this level: try the next one up.
    }
  }
  return { version: '0.0.0' };
}

const pkg = readPackage();
type Runner = (ctx: CommandContext) => Promise<number>;

let output: Output | undefined;
let debug = false;
/** The argv main() parses: where a flag stood is lost once commander has parsed it. */
let argvParsed: readonly string[] = [];

function outputFor(globals: GlobalOptions): Output {
  output ??= createOutput({ json: Boolean(globals.json), color: globals.color !== false });
  return output;
}

/** Wraps a command action: builds the context, runs, and records the exit code. */
function action<Args extends unknown[]>(
  load: (...args: Args) => Runner,
): (...args: [...Args, Command]) => Promise<void> {
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals<GlobalOptions>();
    debug = Boolean(globals.debug);
    const out = outputFor(globals);
    const ctx = await createContext(globals, out);
    // A command that is refused (gate over the limit, claimed) still shows the owner is alive;
    // bad input changes nothing on disk, the heartbeat included.
    let renew = true;
    try {
      process.exitCode = await load(...(args.slice(0, -1) as Args))(ctx);
    } catch (error) {
      renew = !(error instanceof TmcError && error.exitCode === ExitCode.usage);
      throw error;
    } finally {
      if (renew) await renewHeartbeat(ctx);
    }
  };
}

/**
 * Every command the owner of a claimed worktree runs there renews the claim's heartbeat (issue 4).
 * Cheap (one for-each-ref when there is nothing to renew) and never fails the command.
 */
async function renewHeartbeat(ctx: CommandContext): Promise<void> {
  try {
    const { renewHeartbeat: renew } = await import('./worktrees/claims.js');
    await renew(await ctx.repo(), ctx.agent);
  } catch {
    // Outside a repository, or git failed: the command's own result stands.
  }
}

export function buildProgram(): Command {
  const program = new Command('tmc-orch')
    .description(
      'Coordinate many coding agents on one git repository: worktrees, claims, sync, status, PR size gate.',
    )
    .version(pkg.version, '-V, --version')
    .option('-C, --cwd <dir>', 'run as if started in <dir>')
    .option('--json', 'print exactly one JSON document on stdout')
    .option(
      '--agent <id>',
      'the acting agent (default: $TMC_AGENT, else "agent" in ~/.config/tmc-orch/config.json); claim, release, log and removing a claimed worktree need one',
    )
    .option('--no-color', 'no colors (NO_COLOR is honoured too)')
    .option('--debug', 'print stack traces of internal errors')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      // In --json mode commander's own usage errors still go to stderr; the JSON error document
      // is written by the boundary below.
      outputError: (text, write) => write(escapeLines(text.trimEnd()) + ' (see tmc-orch --help)\n'),
    });

  program
    .command('init')
    .description('write .tmc-orch.json in the main worktree and create the folders')
    .option('--base <branch>', 'base branch (default main)')
    .option('--remote <name>', 'remote of the base branch; "" for none (default origin)')
    .option('--worktree-root <dir>', 'folder of the worktrees, relative to the main worktree')
    .option('--branch-prefix <prefix>', 'prefix of new branches, e.g. feature/team/')
    .option('--shared-dir <dir>', 'folder of the shared status log')
    .option('--limit <n>', 'PR line limit (default 700)')
    .option('--force', 'overwrite an existing config file')
    .action(
      action(
        (flags: InitFlags) => async (ctx) => (await import('./commands/init.js')).run(flags, ctx),
      ),
    );

  program
    .command('config')
    .description('show the effective config and the file it came from')
    .action(
      action(
        (flags: Record<string, never>) => async (ctx) =>
          (await import('./commands/config.js')).run(flags, ctx),
      ),
    );

  const worktree = program.command('worktree').description('create, list and remove worktrees');
  worktree
    .command('add')
    .description('create <worktreeRoot>/<name> on branch <branchPrefix><name>')
    .argument('<name>', 'worktree name: letters, digits, ".", "_", "-"')
    .option('--branch <branch>', 'branch to create or check out (default <branchPrefix><name>)')
    .option('--from <ref>', 'start a new branch here (default <remote>/<base>, else <base>)')
    .action(
      action(
        (name: string, flags: { branch?: string; from?: string }) => async (ctx) =>
          (await import('./commands/worktree-add.js')).run(name, flags, ctx),
      ),
    );
  worktree
    .command('list')
    .description('every worktree with its branch, head, dirty state and lock')
    .action(
      action(
        (flags: Record<string, never>) => async (ctx) =>
          (await import('./commands/worktree-list.js')).run(flags, ctx),
      ),
    );
  worktree
    .command('remove')
    .description('remove a worktree; refuses uncommitted work unless --force')
    .argument('<name>', 'worktree name')
    .option('--force', 'remove even with uncommitted or untracked changes')
    .option('--delete-branch', 'also delete its branch, only when merged into the base')
    .action(
      action(
        (name: string, flags: { force?: boolean; deleteBranch?: boolean }) => async (ctx) =>
          (await import('./commands/worktree-remove.js')).run(name, flags, ctx),
      ),
    );
  worktree
    .command('prune')
    .description("drop git's records of worktrees whose folders are gone")
    .action(
      action(
        (flags: Record<string, never>) => async (ctx) =>
          (await import('./commands/worktree-prune.js')).run(flags, ctx),
      ),
    );

  // Issue 3: PR line counting, the gate and the pre-push hook.
  program
    .command('lines')
    .description('count the lines a PR of REV shows, without generated files')
    .argument('[rev]', 'the branch or commit to count (default HEAD)')
    .option('--base <ref>', 'count from the merge base with this (default <remote>/<base>)')
    .option('--working-tree', 'also count uncommitted changes to tracked files')
    .option('--by-file', 'list every file with its count and why it is (not) counted')
    .action(
      action(
        (
          rev: string | undefined,
          flags: { base?: string; workingTree?: boolean; byFile?: boolean },
        ) =>
          async (ctx) =>
            (await import('./commands/lines.js')).run(rev, flags, ctx),
      ),
    );
  program
    .command('check')
    .description('exit 1 when the PR of REV has too many counted lines')
    .argument('[rev]', 'the branch or commit to check (default HEAD)')
    .option('--base <ref>', 'count from the merge base with this (default <remote>/<base>)')
    .option('--limit <n>', 'the limit (default lines.limit, 700)')
    .action(
      action(
        (rev: string | undefined, flags: { base?: string; limit?: string }) => async (ctx) =>
          (await import('./commands/check.js')).run(rev, flags, ctx),
      ),
    );
  // Issue 11: split an oversized branch into a stack of PRs under the limit.
  program
    .command('split')
    .description(
      'plan a stack of PRs under the limit from an oversized branch (changes nothing); --apply makes the branches',
    )
    .argument('[rev]', 'the branch or commit to split (default HEAD)')
    .option('--base <ref>', 'split from the merge base with this (default: as lines measures)')
    .option('--limit <n>', 'each part must stay below this (default lines.limit, 700)')
    .option('--target <n>', 'parts are filled up to this (default lines.target, 600)')
    .option('--apply', 'create one branch per part, each on the one before, and record the stack')
    .option(
      '--name <prefix>',
      'with --apply: name the parts <prefix>-1, <prefix>-2, … (default <branch>-part-<k>)',
    )
    .option('--worktrees', 'with --apply: add a worktree per part, claimed by the acting agent')
    .action(
      action(
        (
          rev: string | undefined,
          flags: {
            base?: string;
            limit?: string;
            target?: string;
            apply?: boolean;
            name?: string;
            worktrees?: boolean;
          },
        ) =>
          async (ctx) =>
            (await import('./commands/split.js')).run(rev, flags, ctx),
      ),
    );
  const hooks = program
    .command('hooks')
    .description('install the pre-push gate for every worktree');
  hooks
    .command('install')
    .description('install the pre-push hook, chaining an existing one')
    .option(
      '--force',
      'install even where lefthook or pre-commit manage the hooks, or into a shared hooks folder',
    )
    .action(
      action(
        (flags: { force?: boolean }) => async (ctx) =>
          (await import('./commands/hooks.js')).install(flags, ctx),
      ),
    );
  hooks
    .command('uninstall')
    .description('remove the hook and restore exactly what was there')
    .action(
      action(
        (flags: Record<string, never>) => async (ctx) =>
          (await import('./commands/hooks.js')).uninstall(flags, ctx),
      ),
    );
  hooks
    .command('status')
    .description('for every worktree, whether the gate runs on a push from there')
    .action(
      action(
        (flags: Record<string, never>) => async (ctx) =>
          (await import('./commands/hooks.js')).status(flags, ctx),
      ),
    );
  program
    .command('hook')
    .description('entry points git hooks call')
    .command('pre-push')
    .description('the gate, as git runs it: reads the pushed refs on stdin')
    .argument('[remote]', 'the remote pushed to')
    .argument('[url]', 'its URL')
    .option('--pre-commit', "read the pushed branch from pre-commit's PRE_COMMIT_* variables")
    .action(
      action(
        (remote: string | undefined, url: string | undefined, flags: { preCommit?: boolean }) =>
          async (ctx) =>
            (await import('./commands/hook-pre-push.js')).run(remote, url, flags, ctx),
      ),
    );

  // Issue 5: status dashboard and sync
  program
    .command('status')
    .description('every worktree: claim, ahead/behind the base, dirty state, PR lines, conflicts')
    .option('--fetch', 'fetch <remote> <base> first (otherwise no network I/O)')
    .option('--no-conflicts', 'skip the conflict forecast')
    .action(
      action(
        (flags: { fetch?: boolean; conflicts?: boolean }) => async (ctx) =>
          (await import('./commands/status.js')).run(flags, ctx),
      ),
    );
  program
    .command('sync')
    .description('bring the base into worktrees (rebase or merge); a conflict starts nothing')
    .argument('[worktrees...]', 'worktree names (default: the one you are in)')
    .option('--all', 'every worktree not claimed by another agent')
    .option('--strategy <strategy>', 'rebase or merge (default: config sync.strategy)')
    .option('--dry-run', 'report what would happen (no fetch, no change)')
    .action(
      action(
        (names: string[], flags: { all?: boolean; strategy?: string; dryRun?: boolean }) =>
          async (ctx) =>
            (await import('./commands/sync.js')).run(names, flags, ctx),
      ),
    );

  // Issue 4: claims and the shared daily status log.
  program
    .command('claim')
    .description('claim a worktree for the acting agent, renew your claim, or take one over')
    .argument('<worktree>', 'worktree name')
    .option('--task <text>', 'what you are doing there (shown to other agents)')
    .option('--ttl <duration>', 'stale after this long without a heartbeat, e.g. 90m, 24h, 7d')
    .option('--steal-stale', 'take over a claim whose heartbeat is older than its TTL')
    .option('--force', 'take over the claim even if it is fresh')
    .action(
      action(
        (
          name: string,
          flags: { task?: string; ttl?: string; stealStale?: boolean; force?: boolean },
        ) =>
          async (ctx) =>
            (await import('./commands/claim.js')).run(name, flags, ctx),
      ),
    );
  program
    .command('release')
    .description('release your claim on a worktree')
    .argument('<worktree>', 'worktree name')
    .option('--force', "release another agent's claim (only the claim seen)")
    .action(
      action(
        (name: string, flags: { force?: boolean }) => async (ctx) =>
          (await import('./commands/release.js')).run(name, flags, ctx),
      ),
    );
  program
    .command('claims')
    .description('every claim: worktree, agent, task, since, heartbeat, expiry, stale')
    .action(
      action(
        (flags: Record<string, never>) => async (ctx) =>
          (await import('./commands/claims.js')).run(flags, ctx),
      ),
    );
  const log = program
    .command('log')
    .description('append an entry to the shared daily status log (see also: log show)')
    .argument('<message...>', 'what you are doing; a first word "show" means log show')
    .option('--worktree <name>', 'the worktree the entry is about (default: the current one)')
    .action(
      action(
        (words: string[], flags: { worktree?: string }) => async (ctx) =>
          (await import('./commands/log.js')).run(words, flags, ctx),
      ),
    );
  log
    .command('show')
    .description("today's status log entries (UTC) in time order, hand-written lines included")
    .option('--date <YYYY-MM-DD>', 'entries of that UTC day')
    .option(
      '--since <when>',
      'entries since a date, an ISO time (UTC unless it has an offset), or a duration ago (2h)',
    )
    .option('--all', 'every entry')
    .option('--agent <id>', 'only entries by this agent ("agent-3" matches "Agent 3")')
    .option('--worktree <name>', 'only entries about this worktree')
    .action(
      action((flags: { date?: string; since?: string; all?: boolean }) => async (ctx) => {
        // --agent and --worktree are also options of the parents, which take them first. The
        // global --agent names the acting agent too: only one written after "show" filters, so
        // `tmc-orch --agent agent-3 log show` still lists everyone.
        const { worktree } = log.opts<{ worktree?: string }>();
        const agent = agentAfterShow(argvParsed) ? program.opts<GlobalOptions>().agent : undefined;
        return (await import('./commands/log-show.js')).run(
          {
            ...flags,
            ...(worktree !== undefined ? { worktree } : {}),
            ...(agent !== undefined ? { agent } : {}),
          },
          ctx,
        );
      }),
    );

  return program;
}

/** Commander's messages quote what was typed: escaped like any other text, line by line. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** Whether --agent is given after the word "show" (commander keeps the last --agent given). */
function agentAfterShow(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  const show = args.indexOf('show', args.indexOf('log'));
  return (
    show !== -1 && args.slice(show + 1).some((a) => a === '--agent' || a.startsWith('--agent='))
  );
}

function report(error: unknown, out: Output): number {
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

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  argvParsed = argv;
  // After "--" a word is an operand (a log message may mention --json), never our flag.
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const jsonRequested = flags.includes('--json');
  // Agents ask for the version as data too.
  if (jsonRequested && (flags.includes('--version') || flags.includes('-V'))) {
    createOutput({ json: true, color: false }).data({ name: 'tmc-orch', version: pkg.version });
    return 0;
  }
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
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
      if (jsonRequested) {
        createOutput({ json: true, color: false }).data({
          error: { code: 'usage', message, exitCode: ExitCode.usage },
        });
      }
      return ExitCode.usage;
    }
    return report(error, output ?? createOutput({ json: jsonRequested, color: false }));
  }
}
