import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/log/format.js';
import { mergeLogs } from '../../src/remote/log.js';

const entry = (time: string, agent: string, message: string, line: number | null): LogEntry => ({
  time,
  agent,
  worktree: 'w',
  message,
  kind: 'entry',
  source: 'agent',
  line,
});
const byHand = (message: string, line: number): LogEntry => ({
  time: null,
  agent: null,
  worktree: null,
  message,
  kind: 'text',
  source: 'agent',
  line,
});

describe('the local log and the shared one, merged', () => {
  it('shows entries of the same millisecond in one order on every machine', () => {
    const t = '2026-12-07T09:14:00.123Z';
    const alice = [entry(t, 'alice', 'alice 1', 1), entry(t, 'alice', 'alice 2', 2)];
    const bob = [entry(t, 'bob', 'bob 1', 1)];
    const shared = (es: LogEntry[]) => es.map((e) => ({ ...e, line: null }));
    // On alice's machine her entries are local and bob's shared; on bob's, the other way round.
    const onA = mergeLogs(alice, shared(bob));
    const onB = mergeLogs(bob, shared(alice));
    const view = (es: LogEntry[]) => es.map((e) => e.message);
    expect(view(onA)).toEqual(view(onB));
    expect(view(onA)).toEqual(['alice 1', 'alice 2', 'bob 1']);
  });

  it('keeps a line written by hand after the entry it follows, and each entry once', () => {
    const local = [
      entry('2026-12-07T09:00:00.000Z', 'alice', 'first', 1),
      byHand('a note under first', 2),
      entry('2026-12-07T11:00:00.000Z', 'alice', 'third', 3),
    ];
    const shared = [
      entry('2026-12-07T10:00:00.000Z', 'bob', 'second', null),
      { ...local[0]!, line: null },
    ];
    expect(mergeLogs(local, shared).map((e) => [e.message, e.line])).toEqual([
      ['first', 1],
      ['a note under first', 2],
      ['second', null],
      ['third', 3],
    ]);
  });
});
