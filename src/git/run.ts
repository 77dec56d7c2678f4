import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { execa, type Options } from 'execa';
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

let cleanEnv: NodeJS.ProcessEnv | undefined;

export function gitEnv(): NodeJS.ProcessEnv {
  if (!cleanEnv) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of GIT_LOCAL_ENV_VARS) delete env[name];
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
  /** Written to git's stdin. */
  input?: string;
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

/**
 * Runs git with an argument array (never a shell). Throws GitError unless the exit code is 0 or
 * listed in okCodes. stdout is returned untouched so -z output keeps its NULs and final newline.
 */
export async function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const { timeoutMs, outputFile } = options;
  const output = outputFile === undefined ? undefined : openSync(outputFile, 'w');
  const subprocess = execa('git', args, {
    cwd: options.cwd,
    // No input: /dev/null rather than an empty pipe. Same EOF for git, and execa then sets up no
    // stdin stream (the first call of a run costs ~4 ms less CPU, later ones ~0.6 ms).
    ...(output !== undefined
      ? survivingOutput(output)
      : options.input !== undefined
        ? { input: options.input }
        : { stdin: 'ignore' as const }),
    env: options.env ? { ...gitEnv(), ...options.env } : gitEnv(),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    // With a timeout, git leads a process group of its own, so that the timeout stops its
    // children too: an ssh or upload-pack left running would keep our pipes open, and us waiting.
    ...(timeoutMs !== undefined ? { detached: true } : {}),
  });
  if (output !== undefined) {
    // git has its own copy of the descriptor now.
    closeSync(output);
    // Recording the id is a courtesy to the next run: git must be waited for regardless.
    if (subprocess.pid !== undefined)
      await options.onSpawn?.(subprocess.pid).catch(() => undefined);
  }
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          try {
            if (subprocess.pid !== undefined) process.kill(-subprocess.pid, 'SIGTERM');
          } catch {
            // Already gone.
          }
        }, timeoutMs);
  const result = await subprocess.finally(() => clearTimeout(timer));
  if (timedOut) {
    throw new GitError(
      args,
      undefined,
      `timed out after ${Math.round((timeoutMs ?? 0) / 1000)} s (stopped)`,
      options.cwd,
    );
  }
  const exitCode = result.exitCode ?? -1;
  if (result.failed && result.exitCode === undefined) {
    const reason = result.signal ?? (result.cause instanceof Error ? result.cause.message : '');
    throw new GitError(args, undefined, `${reason}\n${String(result.stderr ?? '')}`, options.cwd);
  }
  const stderr =
    outputFile === undefined ? String(result.stderr ?? '') : await readFile(outputFile, 'utf8');
  // Checked before okCodes: an exit code that is an answer for the command is not one here.
  if (exitCode !== 0) {
    const refusal = gitRefusal(stderr);
    if (refusal) throw refusal;
  }
  const ok = exitCode === 0 || (options.okCodes ?? []).includes(exitCode);
  if (!ok) throw gitFailure(args, exitCode, stderr, options.cwd);
  return { stdout: outputFile === undefined ? String(result.stdout ?? '') : '', stderr, exitCode };
}

/**
 * The stdio options of a git that must outlive us (see GitRunOptions.outputFile): a file
 * descriptor of ours, shared with git, for both stdout and stderr. execa hands an integer straight
 * to child_process.spawn, though its types admit only 3 to 9 there.
 */
function survivingOutput(fd: number): Options {
  return { stdin: 'ignore', stdout: fd, stderr: fd, detached: true, cleanup: false } as Options;
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
export function gitFailure(
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
