import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { appendLog, LOG_FILE, readLog } from '../../src/status/log.js';
import { tempDir } from '../helpers/repo.js';

const now = new Date('2025-01-14T12:00:00.000Z');

function sharedWith(lines: string[]): { sharedDir: string } {
  const sharedDir = tempDir();
  writeFileSync(path.join(sharedDir, LOG_FILE), lines.map((l) => `${l}\n`).join(''));
  return { sharedDir };
}

const lines = [
  '2025-01-13T23:59:59.000Z agent-1 [w1] yesterday',
  'Agent 3: Working on docs in w3',
  '2025-01-14T09:00:02.000Z agent-2 [w2] second, written first',
  '2025-01-14T09:00:01.000Z agent-1 [w1] first, written second',
  'Agent 3: still on docs',
  '2025-01-15T00:00:00.000Z agent-1 [w1] tomorrow',
];

describe('readLog', () => {
  it("defaults to today's entries (UTC) in time order; hand lines stay after their neighbour", async () => {
    const entries = await readLog(sharedWith(lines), { now });
    expect(entries.map((e) => e.message)).toEqual([
      'first, written second',
      'second, written first',
      'still on docs',
    ]);
  });

  it('filters by --date, --since, --all, agent and worktree', async () => {
    const repo = sharedWith(lines);
    expect((await readLog(repo, { date: '2025-01-13' })).map((e) => e.message)).toEqual([
      'yesterday',
      'Working on docs in w3',
    ]);
    expect(await readLog(repo, { all: true })).toHaveLength(6);
    expect(
      (await readLog(repo, { since: '2025-01-14T09:00:01.500Z' })).map((e) => e.message),
    ).toEqual(['second, written first', 'still on docs', 'tomorrow']);
    expect((await readLog(repo, { all: true, agent: 'agent-3' })).map((e) => e.line)).toEqual([
      2, 5,
    ]);
    expect((await readLog(repo, { all: true, worktree: 'w3' })).map((e) => e.line)).toEqual([2]);
  });

  it('rejects bad dates and conflicting filters with a UsageError', async () => {
    const repo = sharedWith(lines);
    for (const filters of [
      { date: '2025-02-30' },
      { date: '14/01/2025' },
      { since: 'yesterday' },
      { date: '2025-01-14', all: true },
    ]) {
      await expect(readLog(repo, filters), JSON.stringify(filters)).rejects.toBeInstanceOf(
        UsageError,
      );
    }
  });

  it('returns nothing when there is no log yet', async () => {
    expect(await readLog({ sharedDir: path.join(tempDir(), 'missing') }, { all: true })).toEqual(
      [],
    );
  });
});

describe('appendLog', () => {
  it('creates the shared folder and appends one line per entry', async () => {
    const sharedDir = path.join(tempDir(), 'shared');
    await appendLog({ sharedDir }, { agent: 'agent-1', worktree: 'w1', message: 'one' }, now);
    await appendLog(
      { sharedDir },
      { agent: 'agent-2', worktree: null, message: 'two\nlines' },
      now,
    );
    expect(readFileSync(path.join(sharedDir, LOG_FILE), 'utf8')).toBe(
      '2025-01-14T12:00:00.000Z agent-1 [w1] one\n2025-01-14T12:00:00.000Z agent-2 [-] two\\nlines\n',
    );
  });

  it('refuses an empty message without touching the file', async () => {
    const sharedDir = path.join(tempDir(), 'shared');
    await expect(
      appendLog({ sharedDir }, { agent: 'a', worktree: null, message: ' \n ' }),
    ).rejects.toBeInstanceOf(UsageError);
    expect(() => readFileSync(path.join(sharedDir, LOG_FILE))).toThrow();
  });
});
