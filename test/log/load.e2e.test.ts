import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseLog } from '../../src/log/format.js';
import { runCli, runJson } from '../helpers/cli.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/repo.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), '../helpers/log-writer.js');
// @ts-expect-error: a plain ESM helper without types
const { messageOf } = (await import('../helpers/log-writer.js')) as {
  messageOf: (writer: string, i: number) => string;
};

function readEntries(sharedDir: string): { text: string; lines: string[] } {
  const text = readFileSync(path.join(sharedDir, 'daily-status.log'), 'utf8');
  return { text, lines: text.split('\n').slice(0, -1) };
}

/** Every line is a whole entry of some writer whose message is exactly what it wrote. */
function assertWholeLines(lines: string[]): Map<string, number> {
  const seen = new Map<string, number>();
  for (const [i, line] of lines.entries()) {
    const entries = parseLog(line);
    expect(entries, `line ${i + 1}`).toHaveLength(1);
    const entry = entries[0];
    expect(entry?.kind, `line ${i + 1}: ${line.slice(0, 80)}`).toBe('entry');
    const match = /^w(\d+)-e(\d+)\./.exec(entry?.message ?? '');
    expect(match, `line ${i + 1}`).not.toBeNull();
    expect(entry?.agent).toBe(`writer-${match?.[1]}`);
    expect(entry?.message).toBe(messageOf(match?.[1] ?? '', Number(match?.[2])));
    const key = `${match?.[1]}:${match?.[2]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}

describe('status log under load (real processes)', () => {
  it('16 writers × 500 entries at once: every entry exactly once, no line interleaved', async () => {
    const sharedDir = tempDir();
    const writers = 16;
    const count = 500;
    await Promise.all(
      Array.from({ length: writers }, (_, id) =>
        execa(process.execPath, [WRITER, sharedDir, String(id), String(count)]),
      ),
    );
    const { text, lines } = readEntries(sharedDir);
    expect(text.endsWith('\n')).toBe(true);
    expect(lines).toHaveLength(writers * count);
    const seen = assertWholeLines(lines);
    expect(seen.size).toBe(writers * count);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);

  it('SIGKILL in the middle of writing leaves only whole lines; the next log works', async () => {
    const repo = await repoWithWorktrees(['w']);
    const children = Array.from({ length: 8 }, (_, id) =>
      execa(process.execPath, [WRITER, repo.sharedDir, String(id), '1000000'], { reject: false }),
    );
    // Kill them mid-stream: only once writing is under way, however slow the machine is.
    const file = path.join(repo.sharedDir, 'daily-status.log');
    for (let waited = 0; waited < 30_000 && !(existsSync(file) && statSync(file).size > 50_000);) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      waited += 20;
    }
    await Promise.all(
      children.map(async (child, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 40));
        child.kill('SIGKILL');
        await child;
      }),
    );
    const { text, lines } = readEntries(repo.sharedDir);
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    const seen = assertWholeLines(lines);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);

    const next = await runCli(['log', 'after the crash'], { cwd: repo.main });
    expect(next.exitCode, next.stderr).toBe(0);
    const shown = await runJson<{ entries: { message: string; kind: string }[] }>(['log', 'show'], {
      cwd: repo.main,
    });
    expect(shown.json.entries.at(-1)?.message).toBe('after the crash');
    expect(shown.json.entries.every((e) => e.kind === 'entry')).toBe(true);
  }, 120_000);

  it('writers racing after a line without a final newline: every entry on its own line', async () => {
    const sharedDir = tempDir();
    const file = path.join(sharedDir, 'daily-status.log');
    const writers = 8;
    const rounds = 25;
    const children = Array.from({ length: writers }, (_, id) =>
      execa(process.execPath, [WRITER, sharedDir, String(id), String(rounds), 'rounds']),
    );
    for (let round = 0; round < rounds; round++) {
      // Typed by hand without a newline (or torn by a full disk), then all writers at once.
      appendFileSync(file, `Agent 9: note ${round}`);
      writeFileSync(path.join(sharedDir, `go-${round}`), '');
      const done = `done-${round}-`;
      for (let waited = 0; waited < 60_000; waited += 5) {
        if (readdirSync(sharedDir).filter((f) => f.startsWith(done)).length === writers) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    await Promise.all(children);
    const { text, lines } = readEntries(sharedDir);
    expect(text.endsWith('\n')).toBe(true);
    // Two writers that both saw the missing newline leave an empty line: nothing else differs.
    const notes = lines.filter((l) => l.startsWith('Agent 9: '));
    expect(notes).toEqual(Array.from({ length: rounds }, (_, i) => `Agent 9: note ${i}`));
    const entries = lines.filter((l) => l !== '' && !l.startsWith('Agent 9: '));
    const seen = assertWholeLines(entries);
    expect(seen.size).toBe(writers * rounds);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);
});
