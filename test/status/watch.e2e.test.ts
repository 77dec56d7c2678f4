import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { makeRepo } from '../helpers/repo.js';

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
    const command = `${process.execPath} ${BIN} status --watch --interval 1s`;
    const child = execa('script', ['-qfec', command, '/dev/null'], {
      cwd: repo.main,
      env: { TMC_AGENT: 'agent-test', TERM: 'xterm', COLUMNS: '100', LINES: '30' },
      reject: false,
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
});
