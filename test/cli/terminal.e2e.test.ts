import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { inPty, tmc } from '../helpers/pty.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import { tempDir, type TestRepo } from '../helpers/repo.js';

/**
 * The binary in a real terminal: a pty made by `script`, sized (or not) with stty. What a user,
 * an agent harness or `docker exec -t` gives it.
 */

/** Runs `command` in a shell on a new pty; at most 60 s, output capped by the caller's checks. */
async function runInPty(command: string, cwd: string) {
  const result = await inPty(command, {
    cwd,
    timeout: 60_000,
    env: { TMC_AGENT: 'agent-test', NO_COLOR: '', TERM: 'xterm-256color' },
  });
  return { output: String(result.stdout), timedOut: result.timedOut };
}

function repoWithRemote(): Promise<TestRepo> {
  return repoWithWorktrees(['w1', 'w2'], { remote: true });
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

describe('in a terminal', () => {
  it('status and sync finish on a pty that reports 0 columns (no spinner loop)', async () => {
    const repo = await repoWithRemote();
    for (const args of [['status'], ['sync', '--all']]) {
      const { output, timedOut } = await runInPty(
        `stty cols 0 rows 0; ${tmc(...args)}; echo "EXIT=$?"`,
        repo.main,
      );
      expect(timedOut, args.join(' ')).toBe(false);
      expect(output, args.join(' ')).toMatch(/EXIT=0/);
      expect(output.length, args.join(' ')).toBeLessThan(100_000);
    }
  });

  it('status under timeout in a terminal is not stopped (stdin is never touched)', async () => {
    const repo = await repoWithRemote();
    const { output, timedOut } = await runInPty(
      `stty cols 80 rows 24; timeout 40 ${tmc('status')}; echo "EXIT=$?"`,
      repo.main,
    );
    expect(timedOut).toBe(false);
    expect(output).toMatch(/EXIT=0/);
    expect(output).toContain('No conflicts forecast.');
  });

  it('tables fit the terminal width: the free-text column is cut with …', async () => {
    const repo = await repoWithRemote();
    const long = 'a status message far longer than the sixty columns of this terminal';
    expect((await runCli(['log', long, '--worktree', 'w1'], { cwd: repo.main })).exitCode).toBe(0);
    const { output } = await runInPty(`stty cols 60 rows 24; ${tmc('log', 'show')}`, repo.main);
    const lines = output
      .replace(ANSI, '')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
    expect(lines.find((l) => l.includes('w1'))).toMatch(/ {2}a status message.*…$/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(60);
  });
});

describe('in a pipe', () => {
  /** `<tmc-orch args> | head -1` in bash: what head printed, tmc-orch's stderr and status. */
  async function intoHead(args: string[], cwd: string) {
    const err = path.join(tempDir(), 'stderr');
    const result = await execa(
      'bash',
      ['-c', `${tmc(...args)} 2>"$0" | head -1; echo "STATUS=\${PIPESTATUS[0]}"`, err],
      { cwd, env: { TMC_AGENT: 'agent-test' }, reject: false, timeout: 60_000 },
    );
    return {
      first: String(result.stdout).split('\n')[0],
      status: /STATUS=(\d+)/.exec(String(result.stdout))?.[1],
      stderr: readFileSync(err, 'utf8'),
    };
  }

  it('log show --all | head -1 on a large log: quiet, the SIGPIPE status', async () => {
    const repo = await repoWithWorktrees(['w1']);
    mkdirSync(repo.sharedDir, { recursive: true });
    const entries = Array.from(
      { length: 40_000 },
      (_, i) => `2025-01-14T09:00:00.000Z agent-${i % 7} [w1] entry ${i}\n`,
    );
    writeFileSync(path.join(repo.sharedDir, 'daily-status.log'), entries.join(''));
    const { first, status, stderr } = await intoHead(['log', 'show', '--all'], repo.main);
    expect(first).toMatch(/^TIME \(UTC\)\s+AGENT/);
    expect(stderr).toBe('');
    expect(status).toBe('141');
  });

  it('status | head -1 prints the header and no stack', async () => {
    const repo = await repoWithRemote();
    const { first, status, stderr } = await intoHead(['status'], repo.main);
    expect(first).toMatch(/^NAME\s+BRANCH/);
    expect(stderr).toBe('');
    // All of status fits in the pipe's buffer before head exits: 0; else the SIGPIPE status.
    expect(['0', '141']).toContain(status);
  });
});
