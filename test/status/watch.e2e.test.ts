import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { inPty, tmc } from '../helpers/pty.js';
import { commitFiles, git, makeRepo, tempDir } from '../helpers/repo.js';

const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';

/** Resolves once `child`'s stdout holds `count` headers of a frame (or fails after a minute). */
async function frames(child: ResultPromise, count: number): Promise<void> {
  let text = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${count} frames in:\n${text}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split('Ctrl-C stops').length > count) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

describe('status --watch', () => {
  it('without a terminal prints frame after frame, and stops cleanly on SIGINT', async () => {
    const repo = await makeRepo();
    const child = execa(process.execPath, [BIN, 'status', '--watch', '--interval', '1s'], {
      cwd: repo.main,
      env: { TMC_AGENT: 'agent-test' },
      reject: false,
    });
    await frames(child, 2);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/every 1s: tmc-orch status[\s\S]*NAME[\s\S]*every 1s/);
  });

  it('stops once the reader of its output has gone (status --watch | head)', async () => {
    const repo = await makeRepo();
    const child = execa(process.execPath, [BIN, 'status', '--watch', '--interval', '1s'], {
      cwd: repo.main,
      env: { TMC_AGENT: 'agent-test' },
      reject: false,
      timeout: 30_000,
    });
    await frames(child, 1);
    child.stdout?.destroy();
    const result = await child;
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(141);
  }, 60_000);

  it('on a terminal redraws in place and gives the terminal back on Ctrl-C', async () => {
    const repo = await makeRepo();
    // script(1) runs the command on a pty; a Ctrl-C byte written to it is the terminal's SIGINT.
    const child = inPty(`exec ${tmc('status', '--watch', '--interval', '1s')}`, {
      cwd: repo.main,
      env: { TMC_AGENT: 'agent-test', TERM: 'xterm', COLUMNS: '100', LINES: '30' },
    });
    await frames(child, 2);
    child.stdin?.write('\x03');
    child.stdin?.end();
    const result = await child;
    expect(result.exitCode).toBe(0);
    const out = result.stdout;
    expect(out.indexOf(ENTER)).toBeGreaterThanOrEqual(0);
    // Each frame starts at home with the screen cleared; the last one stays after the restore.
    expect(out.split('\x1b[H\x1b[J').length).toBeGreaterThan(2);
    const restored = out.lastIndexOf(LEAVE);
    expect(restored).toBeGreaterThan(out.indexOf(ENTER));
    expect(out.slice(restored)).toContain('NAME');
    expect(out).not.toMatch(/internal error|Error:/);
  });

  it('on a terminal dims its header with a colour code, never a raw colour marker', async () => {
    const repo = await makeRepo();
    const child = inPty(`exec ${tmc('status', '--watch', '--interval', '1s')}`, {
      cwd: repo.main,
      // Colour on (test/helpers/setup.ts turns it off): an empty NO_COLOR is no NO_COLOR.
      env: { TMC_AGENT: 'agent-test', TERM: 'xterm', COLUMNS: '100', LINES: '30', NO_COLOR: '' },
    });
    await frames(child, 1);
    child.stdin?.write('\x03');
    child.stdin?.end();
    const result = await child;
    expect(result.stdout).toContain('\x1b[2mevery 1s: tmc-orch status');
    // The palette's private-use marker (src/ui/style.ts) must never reach the terminal.
    expect(result.stdout).not.toContain('\uE000');
  });

  it('runs no per-branch git process again in a frame where no commit moved', async () => {
    const repo = await makeRepo({ remote: true });
    for (const name of ['a', 'b']) {
      const wt = path.join(repo.worktreeRoot, name);
      await git(repo.main, 'worktree', 'add', '-q', '--no-track', '-b', name, wt, 'origin/main');
      await commitFiles(wt, { 'same.txt': `${name}\n` }, name);
    }
    /** How many git processes of each command a run started, from GIT_TRACE. */
    const commands = (trace: string) => {
      const counts: Record<string, number> = {};
      for (const m of readFileSync(trace, 'utf8').matchAll(
        /trace: built-in: git (?:-c \S+ )*(\S+)/g,
      )) {
        counts[m[1] as string] = (counts[m[1] as string] ?? 0) + 1;
      }
      return counts;
    };
    const watchTrace = path.join(tempDir(), 'watch.txt');
    const child = execa(process.execPath, [BIN, 'status', '--watch', '--interval', '1s'], {
      cwd: repo.main,
      env: { TMC_AGENT: 'agent-test', GIT_TRACE: watchTrace },
      reject: false,
    });
    await frames(child, 3);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
    const shown = result.stdout.split('Ctrl-C stops');
    expect(shown.at(-1)).toMatch(/a ✗ b: same\.txt/);

    const onceTrace = path.join(tempDir(), 'once.txt');
    const once = await runCli(['status'], { cwd: repo.main, env: { GIT_TRACE: onceTrace } });
    expect(once.stdout).toMatch(/a ✗ b: same\.txt/);
    const watched = commands(watchTrace);
    const single = commands(onceTrace);
    // Every frame reads each worktree's status; what follows from commits only, the first did.
    expect(watched.status).toBeGreaterThanOrEqual(3 * (single.status ?? 0));
    for (const command of ['merge-tree', 'cherry', 'diff-tree', 'rev-list', 'merge-base']) {
      expect(watched[command] ?? 0, command).toBe(single[command] ?? 0);
    }
  });
});
