/**
 * The error hierarchy. Every error the tool raises on purpose is a TmcError with an exit code;
 * src/cli.ts is the only place that turns them into output and a process exit code.
 */

export const ExitCode = {
  ok: 0,
  /** The command ran and the answer is no: gate over the limit, claimed, conflict. */
  no: 1,
  /** Bad usage, bad input or bad config. Nothing was changed on disk. */
  usage: 2,
  internal: 70,
  /** Stopped by Ctrl-C (SIGINT) after putting back what it made: 128 + 2, as shells count. */
  interrupted: 130,
  /** Stopped by SIGTERM after putting back what it made: 128 + 15. */
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class TmcError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** A stable machine-readable code for --json consumers. */
  abstract readonly code: string;
  /** Extra data for --json output. */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Bad input: a name, a path, a ref, a flag, a config value. Exit 2. */
export class UsageError extends TmcError {
  readonly exitCode = ExitCode.usage;
  readonly code = 'usage';
}

/** The config file is unreadable or invalid. Exit 2. */
export class ConfigError extends TmcError {
  readonly exitCode = ExitCode.usage;
  readonly code = 'config';
}

/** A refusal: the tool ran, and the answer is no (dirty worktree, unmerged branch...). Exit 1. */
export class RefusedError extends TmcError {
  readonly exitCode = ExitCode.no;
  readonly code: string = 'refused';
}

/** A worktree is claimed by another agent. Exit 1. */
export class ClaimedError extends RefusedError {
  override readonly code = 'claimed';
}

/** The plan says the worktree's stream waits for streams not merged yet. Exit 1. */
export class BlockedError extends RefusedError {
  override readonly code = 'blocked';
}

/**
 * The remote that holds the shared claims and log (coordination "remote") could not be reached,
 * was too slow, or refused our refs. Exit 1: the command did not get its answer from the remote,
 * and nothing was decided; the message says what to run next.
 */
export class RemoteError extends RefusedError {
  override readonly code: string = 'remote';
}

/**
 * A signal (SIGINT, SIGTERM) stopped a command that catches it to end cleanly (split --apply):
 * what it made is taken back, and the message says so. Exit 130 or 143, as if the signal had
 * ended the process.
 */
export class InterruptedError extends TmcError {
  readonly code = 'interrupted';
  readonly exitCode: ExitCodeValue;
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    message: string,
  ) {
    super(message, { signal });
    this.exitCode = signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
  }
}

/** A library tmc-orch loads on first use is not installed beside it (src/util/external.ts). Exit 70. */
export class InstallError extends TmcError {
  readonly exitCode = ExitCode.internal;
  readonly code = 'install';
}

/** git itself failed in a way the caller did not expect. Exit 70. */
export class GitError extends TmcError {
  readonly exitCode = ExitCode.internal;
  readonly code = 'git';
  constructor(
    readonly args: readonly string[],
    readonly gitExitCode: number | undefined,
    readonly stderr: string,
    readonly cwd: string,
  ) {
    const first =
      stderr
        .trim()
        .split('\n')
        .find((l) => l.trim() !== '') ?? '';
    super(
      `git ${args.join(' ')} failed (exit ${gitExitCode ?? 'signal'}) in ${cwd}${first ? `: ${first}` : ''}`,
      { args: [...args], gitExitCode, stderr: stderr.trim(), cwd },
    );
  }
}
