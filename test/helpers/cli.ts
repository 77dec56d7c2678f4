import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { testCwd } from './repo.js';

export const BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../bin/tmc-orch.js',
);

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  input?: string;
  /** Kill the run after this many ms (a hang then fails the test with exit code -1). */
  timeout?: number;
}

/** Runs the built binary, as a user would, and never throws on a non-zero exit. */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    cwd: testCwd(options.cwd),
    env: { TMC_AGENT: 'agent-test', ...options.env },
    input: options.input ?? '',
    reject: false,
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  });
  return {
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    exitCode: result.exitCode ?? -1,
  };
}

/** Runs with --json and parses stdout, which must be exactly one JSON document. */
export async function runJson<T = Record<string, unknown>>(
  args: string[],
  options: CliOptions,
): Promise<CliResult & { json: T }> {
  return withJson<T>(await runCli(['--json', ...args], options));
}

/** A result with its stdout parsed; stdout must be exactly one JSON document. */
export function withJson<T>(result: CliResult): CliResult & { json: T } {
  let json: T;
  try {
    json = JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${result.exitCode}):\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return { ...result, json };
}
