import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { appendLog } from '../../src/log/append.js';
import { LOG_FILE, type LogInput } from '../../src/log/format.js';
import { LogFileError } from '../../src/log/file.js';
import { readLog, readLogTail } from '../../src/log/read.js';
import { logWindow } from '../../src/cli/parse.js';
import { tempDir } from '../helpers/repo.js';

const now = new Date('2025-01-14T12:00:00.000Z');

function sharedWith(lines: string[]): { sharedDir: string } {
  const sharedDir = tempDir();
  writeFileSync(path.join(sharedDir, LOG_FILE), lines.map((l) => `${l}\n`).join(''));
  return { sharedDir };
}

/** log show's filters as the command line gives them, parsed at the edge as the CLI does. */
async function show(
  repo: { sharedDir: string },
  flags: { date?: string; since?: string; all?: boolean; agent?: string; worktree?: string },
) {
  const { agent, worktree, ...window } = flags;
  return readLog(repo, {
    ...logWindow(window, now),
    ...(agent !== undefined ? { agent } : {}),
    ...(worktree !== undefined ? { worktree } : {}),
  });
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
    const entries = await show(sharedWith(lines), {});
    expect(entries.map((e) => e.message)).toEqual([
      'first, written second',
      'second, written first',
      'still on docs',
    ]);
  });

  it('filters by --date, --since, --all, agent and worktree', async () => {
    const repo = sharedWith(lines);
    expect((await show(repo, { date: '2025-01-13' })).map((e) => e.message)).toEqual([
      'yesterday',
      'Working on docs in w3',
    ]);
    expect(await show(repo, { all: true })).toHaveLength(6);
    expect((await show(repo, { since: '2025-01-14T09:00:01.500Z' })).map((e) => e.message)).toEqual(
      ['second, written first', 'still on docs', 'tomorrow'],
    );
    expect((await show(repo, { all: true, agent: 'agent-3' })).map((e) => e.line)).toEqual([2, 5]);
    expect((await show(repo, { all: true, worktree: 'w3' })).map((e) => e.line)).toEqual([2]);
  });

  it('reads --since without an offset as UTC, whatever the local time zone', async () => {
    const repo = sharedWith(lines);
    const zone = process.env.TZ;
    try {
      for (const tz of ['Asia/Tokyo', 'America/New_York', 'UTC']) {
        process.env.TZ = tz;
        for (const since of ['2025-01-14T09:00:01.500', '2025-01-14T09:00:01.500Z']) {
          expect(
            (await show(repo, { since })).map((e) => e.message),
            `${tz} ${since}`,
          ).toEqual(['second, written first', 'still on docs', 'tomorrow']);
        }
      }
      process.env.TZ = 'Asia/Tokyo';
      // An explicit offset is honoured: 18:00:01.5+09:00 is 09:00:01.5Z.
      expect(await show(repo, { since: '2025-01-14T18:00:01.500+09:00' })).toHaveLength(3);
      expect(await show(repo, { since: '2025-01-14T09:00' })).toHaveLength(4);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('rejects bad dates and conflicting filters with a UsageError', async () => {
    const repo = sharedWith(lines);
    for (const filters of [
      { date: '2025-02-30' },
      { date: '14/01/2025' },
      { since: 'yesterday' },
      { date: '2025-01-14', all: true },
    ]) {
      await expect(show(repo, filters), JSON.stringify(filters)).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('returns nothing when there is no log yet', async () => {
    expect(await readLog({ sharedDir: path.join(tempDir(), 'missing') }, {})).toEqual([]);
  });
});

describe('appendLog', () => {
  it('creates the shared folder and appends one line per entry', async () => {
    const sharedDir = path.join(tempDir(), 'shared');
    await appendLog(
      { sharedDir },
      { agent: 'agent-1', worktree: 'w1', message: 'one', source: 'agent' },
      now,
    );
    await appendLog(
      { sharedDir },
      { agent: 'agent-2', worktree: null, message: 'two\nlines', source: 'agent' },
      now,
    );
    expect(readFileSync(path.join(sharedDir, LOG_FILE), 'utf8')).toBe(
      '2025-01-14T12:00:00.000Z agent-1 [w1] one\n2025-01-14T12:00:00.000Z agent-2 [-] two\\nlines\n',
    );
  });

  it('refuses an empty message without touching the file', async () => {
    const sharedDir = path.join(tempDir(), 'shared');
    await expect(
      appendLog({ sharedDir }, { agent: 'a', worktree: null, message: ' \n ', source: 'agent' }),
    ).rejects.toBeInstanceOf(UsageError);
    expect(() => readFileSync(path.join(sharedDir, LOG_FILE))).toThrow();
  });
});

const entry: LogInput = { agent: 'agent-1', worktree: 'w1', message: 'mine', source: 'agent' };

describe('appendLog after a line without a final newline', () => {
  it('starts the entry on a line of its own; the hand-written text stays whole', async () => {
    const sharedDir = tempDir();
    const file = path.join(sharedDir, LOG_FILE);
    writeFileSync(file, 'Agent 3: typing without a newline');
    await appendLog({ sharedDir }, entry, now);
    await appendLog({ sharedDir }, entry, now);
    expect(readFileSync(file, 'utf8')).toBe(
      'Agent 3: typing without a newline\n' +
        '2025-01-14T12:00:00.000Z agent-1 [w1] mine\n' +
        '2025-01-14T12:00:00.000Z agent-1 [w1] mine\n',
    );
  });

  // A write can be seen cut anywhere: after the timestamp, or inside it.
  for (const cut of [38, 4]) {
    it(`waits for another writer's entry seen cut after ${cut} bytes, leaving no empty line`, async () => {
      const sharedDir = tempDir();
      const file = path.join(sharedDir, LOG_FILE);
      const other = '2025-01-14T11:00:00.000Z agent-2 [w2] being written\n';
      writeFileSync(file, other.slice(0, cut));
      const appended = appendLog({ sharedDir }, entry, now, { inProgressWaitMs: 60_000 });
      // The other writer's write ends a moment later.
      await new Promise((resolve) => setTimeout(resolve, 30));
      appendFileSync(file, other.slice(cut));
      await appended;
      expect(readFileSync(file, 'utf8')).toBe(
        `${other}2025-01-14T12:00:00.000Z agent-1 [w1] mine\n`,
      );
    });
  }

  it('after a torn entry (a full disk), the next entry is its own line', async () => {
    const sharedDir = tempDir();
    const file = path.join(sharedDir, LOG_FILE);
    writeFileSync(file, '2025-01-14T11:00:00.000Z agent-2 [w2] cut in the mi');
    await appendLog({ sharedDir }, entry, now, { inProgressWaitMs: 0 });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toEqual([
      '2025-01-14T11:00:00.000Z agent-2 [w2] cut in the mi',
      '2025-01-14T12:00:00.000Z agent-1 [w1] mine',
      '',
    ]);
  });
});

describe('a status log path that is not a regular file', () => {
  const kinds: [string, (file: string) => void, RegExp][] = [
    ['a directory', (file) => mkdirSync(file), /is a directory/],
    ['a FIFO', (file) => execFileSync('mkfifo', [file]), /is a FIFO/],
    [
      'a symbolic link',
      (file) => {
        writeFileSync(`${file}.target`, 'elsewhere\n');
        symlinkSync(`${file}.target`, file);
      },
      /is a symbolic link to .*daily-status\.log\.target/,
    ],
  ];

  for (const [kind, make, message] of kinds) {
    it(`is refused, not followed or waited on, when it is ${kind}`, async () => {
      const sharedDir = tempDir();
      const file = path.join(sharedDir, LOG_FILE);
      make(file);
      for (const attempt of [
        () => appendLog({ sharedDir }, entry, now),
        () => readLog({ sharedDir }, {}),
        () => readLogTail({ sharedDir }),
      ]) {
        const error = await attempt().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LogFileError);
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).toContain(`mv -- ${file} ${file}.bad`);
      }
      if (kind === 'a symbolic link') {
        expect(readFileSync(`${file}.target`, 'utf8')).toBe('elsewhere\n');
      }
    });
  }
});

describe('readLogTail', () => {
  it('reads only the end of a huge log: the newest entries, quickly', async () => {
    const sharedDir = tempDir();
    const file = path.join(sharedDir, LOG_FILE);
    writeFileSync(file, '2025-01-14T08:00:00.000Z agent-1 [w1] oldest\n');
    // 8 GiB of holes without a newline: reading it all would take minutes and the memory with it.
    execFileSync('truncate', ['-s', '8G', file]);
    appendFileSync(
      file,
      '\n2025-01-14T09:00:00.000Z agent-1 [w1] older\n2025-01-14T10:00:00.000Z agent-2 [w2] newest\n',
    );
    expect(statSync(file).size).toBeGreaterThan(8 * 1024 ** 3);
    const started = Date.now();
    const entries = await readLogTail({ sharedDir });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(entries.map((e) => [e.message, e.line])).toEqual([
      ['older', null],
      ['newest', null],
    ]);
  });

  it('cuts a line too long to read instead of holding it all', async () => {
    const sharedDir = tempDir();
    writeFileSync(path.join(sharedDir, LOG_FILE), `${'x'.repeat(200_000)}\nAgent 3: after\n`);
    const entries = await readLog({ sharedDir }, {});
    expect(entries.map((e) => e.message.length)).toEqual([64 * 1024 + ' …[cut]'.length, 5]);
  });
});
