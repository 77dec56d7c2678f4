import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli, runJson, type CliResult } from '../helpers/cli.js';
import { commitFiles, git, makeRepo, type TestRepo } from '../helpers/repo.js';

/**
 * Control characters planted wherever text comes from (log messages, hand-written log lines,
 * claim blobs, branch and file names) never reach the terminal: every command shows them as
 * visible escapes. JSON keeps the raw strings.
 */

// OSC 52 (set the clipboard), clear screen, an 8-bit CSI, bidi override and isolate, zero width.
const PLANT = 'A\x1b]52;c;cHduZWQ=\x07B\x1b[2J\x9b31m\u202eevil\u2066\u200bZ\x7f';
// What a refname may hold: no C0 controls or DEL, but C1, bidi and zero-width characters.
const BRANCH = 'feat-\u202eevil\u2066\u200b\x9bx';
const FILE = 'x\x1b]52;c;Zm9v\x07\u202e.txt';
// Claim records are validated (agent ids are plain; a task is one line without C0 or C1): a record
// with controls there is unreadable, a stale claim by "unknown". Bidi and zero-width characters
// are allowed in a task, so they must be escaped where it is shown.
const AGENT = 'agent-9';
const TASK = 'task \u202eevil\u2066\u200bZ';

// Raw here means not escaped: C0 (bar the newline ending each line), DEL, C1, bidi, zero width.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/;

/** No raw control character anywhere; with colour, only our SGR colour codes. */
function expectSafe(result: CliResult, colour = false): void {
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
async function planted(): Promise<{ repo: TestRepo; wt: string }> {
  const repo = await makeRepo({ remote: true });
  const wt = path.join(repo.worktreeRoot, 'w1');
  await git(repo.main, 'worktree', 'add', '-q', '--no-track', '-b', BRANCH, wt, 'origin/main');
  await commitFiles(wt, { [FILE]: lines(800) }, 'big');
  expect((await runCli(['log', PLANT], { cwd: wt })).exitCode).toBe(0);
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

describe('planted control characters never reach the terminal', () => {
  it('status, log show, claims and worktree list show them escaped', async () => {
    const { repo } = await planted();
    for (const args of [['status'], ['log', 'show', '--all'], ['claims'], ['worktree', 'list']]) {
      const result = await runCli(args, { cwd: repo.main });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expectSafe(result);
      expect(result.stdout, args.join(' ')).toContain('\\u202e');
    }
    const log = await runCli(['log', 'show', '--all'], { cwd: repo.main });
    expect(log.stdout).toContain('A\\x1b]52;c;cHduZWQ=\\x07B\\x1b[2J\\x9b31m\\u202eevil');
    // With colour on, our colours pass and the planted ones are still escaped.
    const colour = { NO_COLOR: '', FORCE_COLOR: '1' };
    const coloured = await runCli(['status'], { cwd: repo.main, env: colour });
    expect(coloured.stdout).toContain('\u001b[');
    expectSafe(coloured, true);
    expect(coloured.stdout).toContain('\\x1b[2J');
  });

  it('JSON keeps the raw strings, escaped as JSON', async () => {
    const { repo } = await planted();
    const result = await runJson<{ claims: { agent: string; task: string }[] }>(['claims'], {
      cwd: repo.main,
    });
    expectSafe(result);
    expect(result.json.claims[0]).toMatchObject({ agent: AGENT, task: TASK });
    const log = await runJson<{ entries: { message: string }[] }>(['log', 'show', '--all'], {
      cwd: repo.main,
    });
    expectSafe(log);
    expect(log.json.entries.map((e) => e.message)).toContain(PLANT);
  });

  it('lines, check and sync show file names, branches and reasons escaped', async () => {
    const { repo, wt } = await planted();
    const byFile = await runCli(['lines', '--by-file', BRANCH], { cwd: wt });
    expect(byFile.exitCode, byFile.stderr).toBe(0);
    expectSafe(byFile);
    expect(byFile.stdout).toContain('x\\x1b]52;c;Zm9v\\x07\\u202e.txt');
    expect(byFile.stdout).toContain('\\u202eevil');

    const check = await runCli(['check'], { cwd: wt });
    expect(check.exitCode).toBe(1);
    expectSafe(check);
    expect(check.stderr).toContain('x\\x1b]52;c;Zm9v\\x07\\u202e.txt');

    // w1 is claimed by the planted agent: the skip names it, escaped.
    const sync = await runCli(['sync', '--all'], { cwd: repo.main });
    expect(sync.exitCode, sync.stderr).toBe(0);
    expectSafe(sync);
    expect(sync.stdout).toContain(`claimed by ${AGENT}`);
  });

  it("the pre-push hook's messages show the branch and file names escaped", async () => {
    const { repo, wt } = await planted();
    // The hook gates only repositories with a tmc-orch config.
    await commitFiles(repo.main, { '.tmc-orch.json': '{}\n' }, 'config');
    expect((await runCli(['hooks', 'install'], { cwd: repo.main })).exitCode).toBe(0);
    const push = await execa('git', ['push', 'origin', `refs/heads/${BRANCH}`], {
      cwd: wt,
      reject: false,
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(push.exitCode).not.toBe(0);
    const hookLines = String(push.stderr)
      .split('\n')
      .filter((l) => !l.startsWith('error:') && !l.startsWith('To '));
    expectSafe({ stdout: '', stderr: hookLines.join('\n'), exitCode: 1 });
    expect(push.stderr).toContain('push of feat-\\u202eevil\\u2066\\u200b\\x9bx refused');
    expect(push.stderr).toContain('x\\x1b]52;c;Zm9v\\x07\\u202e.txt');
  });
});
