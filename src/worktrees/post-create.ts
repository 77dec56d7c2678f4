import { execa } from 'execa';
import { withoutRepositoryEnv } from '../git/index.js';

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

export async function runPostCreate(
  commands: readonly (readonly string[])[],
  options: PostCreateOptions,
): Promise<PostCreateOutcome[]> {
  // The user's environment, minus what would pin git in the command to another repository.
  const env = withoutRepositoryEnv(options.env);
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
    child.all?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const line of parts) options.onLine(line);
    });
    const result = await child;
    if (rest !== '') options.onLine(rest);
    if (result.exitCode === 0) {
      outcomes.push({ command, status: 'ok' });
      continue;
    }
    failed = true;
    const reason =
      result.exitCode !== undefined
        ? `exit code ${result.exitCode}`
        : (result.signal ?? (result.cause instanceof Error ? result.cause.message : 'failed'));
    outcomes.push({ command, status: 'failed', exitCode: result.exitCode ?? null, reason });
  }
  return outcomes;
}
