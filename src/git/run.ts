import { execa } from 'execa';
import { GitError, UsageError, type TmcError } from '../errors.js';

/**
 * Variables git sets (or users set) that pin a command to one repository, index or worktree.
 * Every call here passes an explicit cwd, so these must not leak in: inside a hook git exports
 * GIT_DIR/GIT_INDEX_FILE for the pushing worktree, and a call made for another worktree would act
 * on the wrong one. This is the list `git rev-parse --local-env-vars` prints (git 2.39); it is
 * hard-coded to keep a process off the pre-push path.
 */
export const GIT_LOCAL_ENV_VARS = [
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
}

/**
 * Runs git with an argument array (never a shell). Throws GitError unless the exit code is 0 or
 * listed in okCodes. stdout is returned untouched so -z output keeps its NULs and final newline.
 */
export async function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const result = await execa('git', args, {
    cwd: options.cwd,
    // No input: /dev/null rather than an empty pipe. Same EOF for git, and execa then sets up no
    // stdin stream (the first call of a run costs ~4 ms less CPU, later ones ~0.6 ms).
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    env: options.env ? { ...gitEnv(), ...options.env } : gitEnv(),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const exitCode = result.exitCode ?? -1;
  if (result.failed && result.exitCode === undefined) {
    const reason = result.signal ?? (result.cause instanceof Error ? result.cause.message : '');
    throw new GitError(args, undefined, `${reason}\n${String(result.stderr ?? '')}`, options.cwd);
  }
  // Checked before okCodes: an exit code that is an answer for the command is not one here.
  if (exitCode !== 0) {
    const refusal = gitRefusal(String(result.stderr ?? ''));
    if (refusal) throw refusal;
  }
  const ok = exitCode === 0 || (options.okCodes ?? []).includes(exitCode);
  if (!ok) throw gitFailure(args, exitCode, String(result.stderr ?? ''), options.cwd);
  return { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), exitCode };
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
