import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimTarget,
  parseClaimRecord,
  readClaimRecord,
  serializeClaimRecord,
  toClaim,
  type ClaimRecord,
} from '../../src/claims/record.js';

const good = {
  v: 2,
  worktree: 'w1',
  agent: 'agent-1',
  task: 'fixes',
  since: '2025-01-14T09:14:00.000Z',
  heartbeat: '2025-01-14T10:00:00.000Z',
  ttlMs: 86_400_000,
  worktreeId: 'w1@123',
  path: '/wt/w1',
};

/** Any JSON value in place of each field, numbers at their extremes included. */
const anyValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1, 0, Number.MAX_SAFE_INTEGER, 8.64e15),
  fc.string(),
  fc.constantFrom(
    '+275760-09-13T00:00:00.000Z',
    '2025-02-30T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
);

describe('claim records', () => {
  it('reads what this version writes', () => {
    const record = parseClaimRecord(JSON.stringify(good), 'w1');
    expect(record).toMatchObject({ agent: 'agent-1', ttlMs: 86_400_000, removing: false });
    expect(parseClaimRecord(serializeClaimRecord(record as ClaimRecord), 'w1')).toEqual(record);
  });

  it('reads version 1 records (no identity): they hold whichever worktree has the name', () => {
    const v1 = { ...good, v: 1, worktreeId: undefined, path: undefined };
    const record = parseClaimRecord(JSON.stringify(v1), 'w1') as ClaimRecord;
    expect(record.worktreeId).toBeNull();
    const wts = [{ name: 'w1', path: '/a/w1', identity: 'w1@9' }];
    expect(claimTarget(record, wts)?.path).toBe('/a/w1');
  });

  it.each([
    ['a TTL of 1e308', { ttlMs: 1e308 }],
    ['a negative TTL', { ttlMs: -5 }],
    ['a TTL over a year', { ttlMs: 367 * 86_400_000 }],
    ['a heartbeat in the year 275760', { heartbeat: '+275760-09-13T00:00:00.000Z' }],
    ['a since that is no time', { since: 'yesterday' }],
    ['an agent with an escape sequence', { agent: 'a\u001b[31m' }],
    ['a task with a newline', { task: 'a\nb' }],
    ['a task with a C1 control', { task: 'a\u009bb' }],
  ])('%s is unreadable: a stale claim by unknown', (_what, change) => {
    const content = JSON.stringify({ ...good, ...change });
    expect(parseClaimRecord(content, 'w1')).toBeNull();
    const claim = toClaim(readClaimRecord(content, 'w1'), null, new Date());
    expect(claim).toMatchObject({ agent: 'unknown', stale: true });
  });

  it('never throws, on any blob, and every claim it yields has real times', () => {
    const blobs = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          Object.fromEntries(Object.keys(good).map((k) => [k, anyValue])) as Record<
            keyof typeof good,
            typeof anyValue
          >,
          { requiredKeys: [] },
        )
        .map((r) => JSON.stringify({ ...good, ...r })),
    );
    fc.assert(
      fc.property(blobs, fc.date({ noInvalidDate: true }), (blob, now) => {
        const record = readClaimRecord(blob, 'w1');
        const claim = toClaim(record, claimTarget(record, []), now);
        expect(Number.isFinite(Date.parse(claim.expires))).toBe(true);
        expect(Number.isFinite(Date.parse(claim.heartbeat))).toBe(true);
        expect(typeof claim.stale).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('a record holds the worktree with its identity, and no other of the same name', () => {
    const record = parseClaimRecord(JSON.stringify(good), 'w1') as ClaimRecord;
    const same = { name: 'w1', path: '/wt/w1', identity: 'w1@123' };
    const replaced = { name: 'w1', path: '/wt/w1', identity: 'w1@456' };
    const elsewhere = { name: 'w1', path: '/x/w1', identity: 'w11@1' };
    expect(claimTarget(record, [elsewhere, same])).toBe(same);
    expect(claimTarget(record, [replaced, elsewhere])).toBeNull();
    expect(toClaim(record, null, new Date()).orphaned).toBe(true);
  });
});
