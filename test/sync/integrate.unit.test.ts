import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settledResult } from '../../src/sync/integrate.js';
import type { Settled } from '../../src/sync/settle.js';
import type { SyncResultBase } from '../../src/sync/types.js';

const OLD = '1'.repeat(40);
const NEW = '2'.repeat(40);
const common: SyncResultBase = {
  name: 'w1',
  kind: 'worktree',
  path: '/wt/w1',
  branch: 'feat',
  before: OLD,
  recovered: null,
  stack: null,
};
const result = (settled: Settled) =>
  settledResult(settled, common, '/wt/w1', 'rebase', 'origin/main', 'CONFLICT (content)');

describe('the integrate step: what a sync reports of what git came to', () => {
  it('reports an operation that finished with every change of the branch as updated', () => {
    expect(result({ kind: 'completed', head: NEW, old: OLD, missing: [] })).toMatchObject({
      status: 'updated',
      before: OLD,
      after: NEW,
      reason: null,
    });
  });

  it('fails one that finished without some changes of the branch, saying how to go back', () => {
    const r = result({ kind: 'completed', head: NEW, old: OLD, missing: ['a.go'] });
    expect(r).toMatchObject({ status: 'failed', after: NEW });
    expect(r.reason).toContain('a.go');
    expect(r.reason).toContain(`git -C /wt/w1 reset --keep ${OLD}`);
  });

  it('reports conflicts undone as a conflict, with the files and the command to redo it by hand', () => {
    const r = result({ kind: 'undone', conflicts: ['a.go'], kept: [], problems: [] });
    expect(r).toMatchObject({ status: 'conflict', after: null, conflicts: ['a.go'] });
    expect(r.reason).toContain('git -C /wt/w1 rebase origin/main');
  });

  it('names the files changed during the sync that the undo kept', () => {
    const r = result({ kind: 'undone', conflicts: ['a.go'], kept: ['notes.md'], problems: [] });
    expect(r.reason).toContain('notes.md');
  });

  it('fails an undo that left problems, keeping the conflicts for the record', () => {
    const r = result({ kind: 'undone', conflicts: ['a.go'], kept: [], problems: ['index.lock'] });
    expect(r).toMatchObject({ status: 'failed', conflicts: ['a.go'] });
    expect(r.reason).toContain('index.lock');
  });

  it('fails an operation git stopped for another reason, undone', () => {
    const r = result({ kind: 'undone', conflicts: [], kept: [], problems: [] });
    expect(r).toMatchObject({ status: 'failed', conflicts: [] });
    expect(r.reason).toContain('CONFLICT (content)');
  });

  it('fails an operation left in progress, naming it', () => {
    const r = result({ kind: 'left', operation: 'rebase', reason: 'files changed meanwhile' });
    expect(r).toMatchObject({ status: 'failed', operation: 'rebase' });
    expect(r.reason).toContain('files changed meanwhile');
  });

  it('fails when git did nothing, or what is there is not its doing', () => {
    expect(result({ kind: 'untouched' }).status).toBe('failed');
    expect(result({ kind: 'foreign', reason: 'a merge of the user' })).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('a merge of the user'),
    });
  });

  it('says updated only of an operation that finished with every change', () => {
    const files = fc.array(fc.constantFrom('a.go', 'b.go'), { maxLength: 2 });
    const settled: fc.Arbitrary<Settled> = fc.oneof(
      fc.record({
        kind: fc.constant('completed' as const),
        head: fc.constant(NEW),
        old: fc.constant(OLD),
        missing: files,
      }),
      fc.record({
        kind: fc.constant('undone' as const),
        conflicts: files,
        kept: files,
        problems: fc.array(fc.constant('p'), { maxLength: 1 }),
      }),
      fc.constant({ kind: 'untouched' as const }),
      fc.record({
        kind: fc.constant('left' as const),
        operation: fc.constantFrom('rebase' as const, 'merge' as const),
        reason: fc.constant('r'),
      }),
      fc.record({ kind: fc.constant('foreign' as const), reason: fc.constant('r') }),
    );
    fc.assert(
      fc.property(settled, (s) => {
        const r = result(s);
        const finished = s.kind === 'completed' && s.missing.length === 0;
        expect(r.status === 'updated').toBe(finished);
        expect(r.reason === null).toBe(finished);
      }),
    );
  });
});
