import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUT_MARKER } from '../../src/log/file.js';
import { formatLogLine, MAX_LINE_BYTES, parseLog, parseLogLine } from '../../src/log/format.js';
import { normalizeAgent } from '../../src/log/read.js';

const at = new Date('2025-01-14T09:14:03.123Z');

describe('formatLogLine', () => {
  it('writes timestamp, agent, worktree and message on one line', () => {
    expect(
      formatLogLine(
        { agent: 'agent-2', worktree: '03a-foundation', message: 'hi', source: 'agent' },
        at,
      ),
    ).toBe('2025-01-14T09:14:03.123Z agent-2 [03a-foundation] hi\n');
    expect(
      formatLogLine({ agent: 'agent-2', worktree: null, message: 'x', source: 'agent' }, at),
    ).toBe('2025-01-14T09:14:03.123Z agent-2 [-] x\n');
  });

  it('escapes newlines and control characters, and parsing restores them', () => {
    const message = 'line 1\nline 2\r\ttab \\n literal \u0000 \u2028 end';
    const line = formatLogLine({ agent: 'a', worktree: 'w', message, source: 'agent' }, at);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(parseLogLine(line.slice(0, -1), 1)[0]?.message).toBe(message);
  });

  it('any message: one line of at most 4 KiB that parses back (cut with a marker if long)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 6000 }).filter((s) => s.trim() !== ''),
        (message) => {
          const line = formatLogLine(
            { agent: 'agent-1', worktree: 'w', message, source: 'agent' },
            at,
          );
          expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
          expect(line.endsWith('\n')).toBe(true);
          expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
          const [entry, ...rest] = parseLogLine(line.slice(0, -1), 1);
          expect(rest).toHaveLength(0);
          expect(entry?.kind).toBe('entry');
          expect(entry?.agent).toBe('agent-1');
          if (line.endsWith(`${CUT_MARKER}\n`)) {
            expect(message.trim().startsWith(entry!.message.slice(0, -CUT_MARKER.length))).toBe(
              true,
            );
          } else expect(entry?.message).toBe(message.trim());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts a long message to fit, with the marker', () => {
    const line = formatLogLine(
      { agent: 'a', worktree: 'w', message: 'é'.repeat(5000), source: 'agent' },
      at,
    );
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(Buffer.byteLength(line)).toBeGreaterThan(MAX_LINE_BYTES - 8);
    expect(line.endsWith(`${CUT_MARKER}\n`)).toBe(true);
  });
});

describe("tmc-orch's own entries", () => {
  it('carry the mark before the message and parse back as source tmc-orch', () => {
    const line = formatLogLine(
      { agent: 'agent-2', worktree: 'w', message: 'claimed (task: x)', source: 'tmc-orch' },
      at,
    );
    expect(line).toBe('2025-01-14T09:14:03.123Z agent-2 [w] (tmc-orch) claimed (task: x)\n');
    expect(parseLogLine(line.slice(0, -1), 1)[0]).toMatchObject({
      source: 'tmc-orch',
      message: 'claimed (task: x)',
    });
  });

  it("an agent's message that starts like the mark stays the agent's", () => {
    const message = '(tmc-orch) synced, honest';
    const line = formatLogLine({ agent: 'a', worktree: 'w', message, source: 'agent' }, at);
    expect(line).toBe('2025-01-14T09:14:03.123Z a [w] \\x28tmc-orch) synced, honest\n');
    expect(parseLogLine(line.slice(0, -1), 1)[0]).toMatchObject({ source: 'agent', message });
  });

  it("old lines without the mark, and hand-written lines, are the agents'", () => {
    const entries = parseLog('2025-01-14T09:14:03.123Z agent-2 [03a] claimed\nAgent 3: on it\n');
    expect(entries.map((e) => e.source)).toEqual(['agent', 'agent']);
  });

  it('any message of either source parses back to itself and its source', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }).filter((s) => s.trim() !== ''),
        fc.constantFrom('agent' as const, 'tmc-orch' as const),
        fc.boolean(),
        (tail, source, marked) => {
          const message = marked ? `(tmc-orch) ${tail}` : tail;
          const line = formatLogLine({ agent: 'a', worktree: 'w', message, source }, at);
          const [entry] = parseLogLine(line.slice(0, -1), 1);
          expect(entry?.source).toBe(source);
          expect(entry?.message).toBe(message.trim());
        },
      ),
    );
  });
});

describe('parseLog', () => {
  it('reads hand-written lines, torn lines and garbage without throwing', () => {
    const text = [
      'Agent 3: Working on the split in 02-apiexport-split',
      '2025-01-14T09:14:03.123Z agent-2 [03a] claimed',
      'garbage \u0000\u0001 ###',
      'half a line without newline2025-01-14T09:15:00.000Z agent-4 [-] after the tear',
      '2025-01-14T09:1',
      '',
      'Agent 7:',
    ].join('\n');
    const entries = parseLog(text);
    expect(entries.map((e) => [e.kind, e.agent, e.worktree, e.message])).toEqual([
      ['text', 'Agent 3', '02-apiexport-split', 'Working on the split in 02-apiexport-split'],
      ['entry', 'agent-2', '03a', 'claimed'],
      ['text', null, null, 'garbage \u0000\u0001 ###'],
      ['text', null, null, 'half a line without newline'],
      ['entry', 'agent-4', null, 'after the tear'],
      ['text', null, null, '2025-01-14T09:1'],
      ['text', null, null, 'Agent 7:'],
    ]);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        expect(() => parseLog(text)).not.toThrow();
      }),
    );
  });

  it('treats "Agent 3" and "agent-3" as the same agent', () => {
    expect(normalizeAgent('Agent 3')).toBe(normalizeAgent('agent-3'));
    expect(normalizeAgent('agent-3')).not.toBe(normalizeAgent('agent-30'));
  });
});
