import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { BIN, withJson, type CliResult } from './cli.js';
import { testCwd } from './repo.js';

/**
 * Runs a command line in this process through the reentrant main(): the real commander program,
 * boundary, domain and git, minus node's start-up and the bundle. For tests that need no second
 * process; the binary contract (exit codes of the real process, races, kills, the hook under git
 * push) stays with runCli in ./cli.ts. Same options and result as runCli.
 */
export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  input?: string;
  /** The clock the command sees (default: the real one). */
  now?: () => Date;
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function runIn(args: string[], options: RunOptions): Promise<CliResult> {
  const stdout = new Collect();
  const stderr = new Collect();
  const exitCode = await main(['node', BIN, ...args], {
    stdout,
    stderr,
    stdin: Readable.from([options.input ?? '']),
    env: { ...process.env, TMC_AGENT: 'agent-test', ...options.env },
    cwd: testCwd(options.cwd),
    now: options.now ?? (() => new Date()),
    self: { node: process.execPath, script: BIN },
  });
  return { stdout: stdout.text, stderr: stderr.text, exitCode };
}

/** Runs with --json and parses stdout, which must be exactly one JSON document. */
export async function runJsonIn<T = Record<string, unknown>>(
  args: string[],
  options: RunOptions,
): Promise<CliResult & { json: T }> {
  return withJson<T>(await runIn(['--json', ...args], options));
}
