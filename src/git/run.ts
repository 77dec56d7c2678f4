// Over 250 lines: git's one spawn path (env, spawn, output limits, errors) reads best whole.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { GitError, UsageError, type TmcError } from '../errors.js';

/**
 * Variables git sets (or users set) that pin a command to one repository, index or worktree.
 * Every call here passes an explicit cwd, so these must not leak in: inside a hook git exports
 * GIT_DIR/GIT_INDEX_FILE for the pushing worktree, and a call made for another worktree would act
 * on the wrong one. This is the list `git rev-parse --local-env-vars` prints (git 2.39); it is
 * hard-coded to keep a process off the pre-push path.
 */
const GIT_LOCAL_ENV_VARS = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
] as const;

/**
 * `env` without the variables that pin git to one repository: for git here, and for the commands
 * of users (gates, postCreate) run in a worktree, which may run git themselves.
 */
export function withoutRepositoryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...env };
  for (const name of GIT_LOCAL_ENV_VARS) delete clean[name];
  return clean;
}

let cleanEnv: NodeJS.ProcessEnv | undefined;

function gitEnv(): NodeJS.ProcessEnv {
  if (!cleanEnv) {
    const env = withoutRepositoryEnv(process.env);
    // Porcelain is locale-independent, but the few messages we match must be in English, and no
    // command of ours may ever wait for a password or an editor.
    env.LC_ALL = 'C';
    env.GIT_TERMINAL_PROMPT = '0';
    env.GIT_EDITOR = 'true';
    env.GIT_SEQUENCE_EDITOR = 'true';
    env.GIT_MERGE_AUTOEDIT = 'no';
    cleanEnv = env;
  }
  return cleanEnv;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GitRunOptions {
  cwd: string;
  /** Written to git's stdin (bytes as they are: a commit message in another encoding). */
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `merge-base --is-ancestor`). */
  okCodes?: readonly number[];
  /** Extra environment for this call only. */
  env?: Record<string, string>;
  /**
   * Stop git (and whatever it started: ssh, a remote helper) after this long; runGit then throws
   * a GitError saying so. For network commands, which can otherwise wait for minutes.
   */
  timeoutMs?: number;
  /**
   * For the operations that must not stop half-way (rebase, merge): git's stdout and stderr go to
   * this file (returned as stderr) and git leads a process group of its own, which we never
   * kill. With pipes, git dies of SIGPIPE at its next line of output once we are killed, leaving
   * the operation half-done; this way it finishes (or stops) on its own, and Ctrl-C in a
   * terminal does not reach it either.
   */
  outputFile?: string;
  /** Called with git's process id as soon as it runs (to record it). */
  onSpawn?: (pid: number) => Promise<void>;
}

/** What one git process did: its exit code (undefined when it never ran or died of a signal). */
interface Spawned {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | undefined;
  /** Why there is no exit code: the signal, or the spawn error's message. */
  failure: string | undefined;
  /** The spawn error's code (ENOENT: no git on PATH). */
  spawnError: string | undefined;
}

/** Output beyond this is an error rather than memory exhaustion (execa's maxBuffer, kept). */
const MAX_OUTPUT = 1024 * 1024 * 1024;

/**
 * The one spawn of git, on node:child_process: execa cost ~15 ms to load on every start-up and
 * ~1 ms per call on the pre-push path, for features git does not need here. An argument array,
 * never a shell; the scrubbed environment only (no inherited GIT_DIR); /dev/null as stdin when
 * there is no input (same EOF for git, no pipe to set up).
 */
function spawnGit(
  args: readonly string[],
  options: GitRunOptions,
  input: string | Buffer | undefined,
  output: number | undefined,
): { child: ChildProcess; done: Promise<Spawned> } {
  const child = spawn('git', args, {
    cwd: options.cwd,
    env: options.env ? { ...gitEnv(), ...options.env } : gitEnv(),
    stdio:
      output !== undefined
        ? ['ignore', output, output]
        : [input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    // With a timeout, git leads a process group of its own, so that the timeout stops its
    // children too: an ssh or upload-pack left running would keep our pipes open, and us waiting.
    // An outputFile's git leads its own group so that we never kill it (see outputFile).
    detached: output !== undefined || options.timeoutMs !== undefined,
  });
  const done = new Promise<Spawned>((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: string | undefined;
    let spawnError: string | undefined;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) {
        failure ??= `output larger than ${MAX_OUTPUT} bytes`;
        child.kill('SIGTERM');
        return;
      }
      into.push(chunk);
    };
    child.stdout?.on('data', collect(stdout));
    child.stderr?.on('data', collect(stderr));
    // git may exit before reading all of its input (an error): that EPIPE is not ours to report.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input);
    child.on('error', (error) => {
      failure ??= error.message;
      spawnError ??= (error as NodeJS.ErrnoException).code;
    });
    // 'close', not 'exit': every byte of both pipes has been read by then. A spawn error closes
    // too, with no code.
    child.on('close', (code, signal) => {
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr),
        exitCode: failure === undefined && code !== null ? code : undefined,
        failure: failure ?? signal ?? undefined,
        spawnError,
      });
    });
  });
  return { child, done };
}

/**
 * Runs git with an argument array (never a shell). Throws GitError unless the exit code is 0 or
 * listed in okCodes. stdout is returned untouched so -z output keeps its NULs and final newline.
 */
export async function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const { stdout, stderr, exitCode } = await runGitRaw(args, options);
  return { stdout: stdout.toString('utf8'), stderr, exitCode };
}

/** runGit with stdout as bytes (`cat-file --batch`: its sizes count bytes, not characters). */
export async function runGitBytes(
  args: readonly string[],
  options: GitRunOptions,
): Promise<{ stdout: Buffer; stderr: string; exitCode: number }> {
  return runGitRaw(args, options);
}

async function runGitRaw(
  args: readonly string[],
  options: GitRunOptions,
): Promise<{ stdout: Buffer; stderr: string; exitCode: number }> {
  const { timeoutMs, outputFile } = options;
  const output = outputFile === undefined ? undefined : openSync(outputFile, 'w');
  let spawned: ReturnType<typeof spawnGit>;
  try {
    spawned = spawnGit(args, options, options.input, output);
  } finally {
    // git has its own copy of the descriptor now.
    if (output !== undefined) closeSync(output);
  }
  const { child, done } = spawned;
  if (output !== undefined) {
    // Recording the id is a courtesy to the next run: git must be waited for regardless.
    if (child.pid !== undefined) await options.onSpawn?.(child.pid).catch(() => undefined);
  }
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
        }, timeoutMs);
  const result = await done.finally(() => clearTimeout(timer));
  if (timedOut) {
    throw new GitError(
      args,
      undefined,
      `timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s (stopped)`,
      options.cwd,
    );
  }
  // spawn says ENOENT for a missing cwd too: that one stays a GitError (a worktree gone).
  if (result.spawnError === 'ENOENT' && existsSync(options.cwd)) {
    // Not our bug and not git's: the machine has no git where PATH looks.
    throw new UsageError(
      'git was not found on PATH; install git (2.38 or newer) or add it to PATH, then run again',
    );
  }
  if (result.exitCode === undefined) {
    throw new GitError(
      args,
      undefined,
      `${result.failure ?? ''}\n${result.stderr.toString('utf8')}`,
      options.cwd,
    );
  }
  const exitCode = result.exitCode;
  const stderr =
    outputFile === undefined ? result.stderr.toString('utf8') : await readFile(outputFile, 'utf8');
  // Checked before okCodes: an exit code that is an answer for the command is not one here.
  if (exitCode !== 0) {
    const refusal = gitRefusal(stderr);
    if (refusal) throw refusal;
  }
  const ok = exitCode === 0 || (options.okCodes ?? []).includes(exitCode);
  if (!ok) throw gitFailure(args, exitCode, stderr, options.cwd);
  return { stdout: result.stdout, stderr, exitCode };
}

/**
 * Git's refusals that are about the user's set-up, not our bug, as bad input (exit 2) with git's
 * own fix: a repository owned by another user (`safe.directory`, git ≥ 2.35.2).
 */
function gitRefusal(stderr: string): TmcError | null {
  const dubious = /detected dubious ownership in repository at '(.*)'/.exec(stderr);
  if (!dubious) return null;
  const dir = /safe\.directory (.+)$/m.exec(stderr)?.[1]?.trim() ?? dubious[1] ?? '';
  return new UsageError(
    `git refuses to work in ${dir}: detected dubious ownership (it belongs to another user); if you trust it, run: git config --global --add safe.directory ${dir}`,
  );
}

/** The error for a git process that failed: a refusal of the set-up, or a GitError. */
function gitFailure(
  args: readonly string[],
  exitCode: number | undefined,
  stderr: string,
  cwd: string,
): TmcError {
  return gitRefusal(stderr) ?? new GitError(args, exitCode, stderr, cwd);
}

/** Runs git and returns stdout without its final newline. */
export async function gitText(args: readonly string[], options: GitRunOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.replace(/\n$/, '');
}

/** Splits -z output into records, dropping the empty tail. */
export function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * The name git warned about resolving by picking one of several refs (`warning: refname 'x' is
 * ambiguous.`, printed with core.warnAmbiguousRefs on), or null.
 */
export function ambiguousName(stderr: string): string | null {
  return /^warning: refname '(.*)' is ambiguous\.$/m.exec(stderr)?.[1] ?? null;
}
