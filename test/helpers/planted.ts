import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import type { CliResult } from './cli.js';
import { runIn } from './run.js';
import { commitFiles, git, makeRepo, type TestRepo } from './repo.js';

/**
 * Control characters planted wherever text comes from (log messages, hand-written log lines,
 * claim blobs, branch and file names) never reach the terminal: every command shows them as
 * visible escapes. JSON keeps the raw strings.
 */

// OSC 52 (set the clipboard), clear screen, an 8-bit CSI, bidi override and isolate, zero width.
export const PLANT = 'A\x1b]52;c;cHduZWQ=\x07B\x1b[2J\x9b31m\u202eevil\u2066\u200bZ\x7f';
// What a refname may hold: no C0 controls or DEL, but C1, bidi and zero-width characters.
export const BRANCH = 'feat-\u202eevil\u2066\u200b\x9bx';
const FILE = 'x\x1b]52;c;Zm9v\x07\u202e.txt';
// Claim records are validated (agent ids are plain; a task is one line without C0 or C1): a record
// with controls there is unreadable, a stale claim by "unknown". Bidi and zero-width characters
// are allowed in a task, so they must be escaped where it is shown.
export const AGENT = 'agent-9';
export const TASK = 'task \u202eevil\u2066\u200bZ';

// Raw here means not escaped: C0 (bar the newline ending each line), DEL, C1, bidi, zero width.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/;

/** No raw control character anywhere; with colour, only our SGR colour codes. */
export function expectSafe(result: CliResult, colour = false): void {
  for (const [name, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    // eslint-disable-next-line no-control-regex
    const rest = colour ? text.replace(/\x1b\[\d+m/g, '') : text;
    const found = RAW.exec(rest);
    expect(
      found,
      `${name} has U+${found?.[0].codePointAt(0)?.toString(16)} at ${found?.index}:\n${text}`,
    ).toBeNull();
  }
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `l${i}\n`).join('');

/** A repo whose log, claims, branch and file names all carry planted control characters. */
export async function planted(): Promise<{ repo: TestRepo; wt: string }> {
  const repo = await makeRepo({ remote: true });
  const wt = path.join(repo.worktreeRoot, 'w1');
  await git(repo.main, 'worktree', 'add', '-q', '--no-track', '-b', BRANCH, wt, 'origin/main');
  await commitFiles(wt, { [FILE]: lines(800) }, 'big');
  expect((await runIn(['log', PLANT], { cwd: wt })).exitCode).toBe(0);
  mkdirSync(repo.sharedDir, { recursive: true });
  appendFileSync(
    path.join(repo.sharedDir, 'daily-status.log'),
    `${PLANT}\n2099-01-01T00:00:00.000Z agent-9 [w1] raw ${PLANT}\n`,
  );
  const now = new Date().toISOString();
  const blob = JSON.stringify({
    v: 1,
    worktree: 'w1',
    agent: AGENT,
    task: TASK,
    since: now,
    heartbeat: now,
    ttlMs: 3_600_000,
  });
  const oid = (
    await execa('git', ['hash-object', '-w', '--stdin'], { cwd: repo.main, input: blob })
  ).stdout;
  await git(repo.main, 'update-ref', 'refs/tmc-orch/claims/w1', oid);
  return { repo, wt };
}
