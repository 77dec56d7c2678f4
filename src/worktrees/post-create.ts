import type { Socket } from 'node:net';
import { withoutRepositoryEnv } from '../git/index.js';
import { loadExeca } from '../util/external.js';

/**
 * Config `worktrees.postCreate`: commands run in a new worktree once it is checked out (install
 * dependencies, generate files), in order, each an argument array: no shell ever reads them. Their
 * output is passed on line by line as it comes; the first failure stops the rest, and the
 * worktree stays as it is for the user to finish by hand.
 */

export type PostCreateOutcome =
  | { command: string[]; status: 'ok' }
  | { command: string[]; status: 'failed'; exitCode: number | null; reason: string }
  | { command: string[]; status: 'not-run' };

export interface PostCreateOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Told each line of a command's output (stdout and stderr) as it comes. */
  onLine: (line: string) => void;
}

/** After a command exits, how long its output pipes may take to hand over the rest. */
const DRAIN_MS = 200;

export async function runPostCreate(
  commands: readonly (readonly string[])[],
  options: PostCreateOptions,
): Promise<PostCreateOutcome[]> {
  // The user's environment, minus what would pin git in the command to another repository.
  const env = withoutRepositoryEnv(options.env);
  const { execa } = await loadExeca();
  const outcomes: PostCreateOutcome[] = [];
  let failed = false;
  for (const argv of commands) {
    const command = [...argv];
    if (failed) {
      outcomes.push({ command, status: 'not-run' });
      continue;
    }
    const [program = '', ...args] = command;
    const child = execa(program, args, {
      cwd: options.cwd,
      env,
      extendEnv: false,
      // Never the user's terminal: a command that asks a question gets end of input, not a hang.
      stdin: 'ignore',
      all: true,
      reject: false,
      lines: false,
      buffer: false,
    });
    let rest = '';
    child.all?.setEncoding('utf8');
    const onData = (chunk: string) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const line of parts) options.onLine(line);
    };
    child.all?.on('data', onData);
    // Until the command exits, not until its output pipes close: a process it left running in
    // the background (`server &`, a build daemon) holds them open, and waiting for it would hang
    // worktree add for as long as that lives. What is still in the pipes when the command exits
    // is read for a moment (or until they close); then they no longer keep tmc-orch alive.
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<null>((resolve) => {
      child.on('exit', () => {
        timer = setTimeout(() => resolve(null), DRAIN_MS);
      });
    });
    const result = await Promise.race([child, exited]);
    clearTimeout(timer);
    if (result === null) {
      // What the background process writes from now on is its own, not this command's: read
      // and dropped, never mixed into the next command's lines or tmc-orch's own.
      child.all?.off('data', onData);
      child.all?.resume();
      // Pipes are sockets; unref lets tmc-orch exit while the background process holds them.
      for (const pipe of [child.stdout, child.stderr]) (pipe as Partial<Socket> | null)?.unref?.();
    }
    if (rest !== '') options.onLine(rest);
    rest = '';
    const exitCode = result ? result.exitCode : (child.exitCode ?? undefined);
    if (exitCode === 0) {
      outcomes.push({ command, status: 'ok' });
      continue;
    }
    failed = true;
    const signal = result ? result.signal : (child.signalCode ?? undefined);
    const reason =
      exitCode !== undefined
        ? `exit code ${exitCode}`
        : (signal ?? (result?.cause instanceof Error ? result.cause.message : 'failed'));
    outcomes.push({ command, status: 'failed', exitCode: exitCode ?? null, reason });
  }
  return outcomes;
}
