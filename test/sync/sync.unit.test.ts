import { describe, expect, it } from 'vitest';
import { syncLogMessage } from '../../src/sync/sync.js';
import {
  conflicted,
  failed,
  skipped,
  upToDate,
  updated,
  wouldUpdate,
} from '../../src/sync/result.js';
import { type SyncResultBase } from '../../src/sync/types.js';

describe('syncLogMessage', () => {
  const base: SyncResultBase = {
    name: 'a',
    kind: 'worktree',
    path: '/x/a',
    branch: 'a',
    before: '1111111111aaaa',
    recovered: null,
    stack: null,
  };
  const after = '2222222222bbbb';
  const report = { base: 'origin/main', strategy: 'rebase', dryRun: false } as const;

  it('says what a part of a stack was rebased onto, and a retarget once its parent is merged', () => {
    const onto = { onto: 'x-part-1', parent: 'x-part-1', previousParent: 'x-part-1' };
    expect(syncLogMessage(updated({ ...base, stack: onto }, after), report)).toBe(
      'sync: rebase onto x-part-1, 1111111111 → 2222222222',
    );
    const retarget = { onto: 'origin/main', parent: null, previousParent: 'x-part-1' };
    expect(syncLogMessage(updated({ ...base, stack: retarget }, after), report)).toBe(
      'sync: rebase onto origin/main, 1111111111 → 2222222222; its parent x-part-1 is merged, its PR is now against origin/main',
    );
  });

  it('says what happened in one line', () => {
    expect(syncLogMessage(updated(base, after), report)).toBe(
      'sync: rebase onto origin/main, 1111111111 → 2222222222',
    );
    expect(
      syncLogMessage(
        conflicted(base, ['f.go', 'g.go'], 'conflicts with origin/main', null),
        report,
      ),
    ).toBe('sync: conflict with origin/main in f.go, g.go; not synced, unchanged');
    expect(syncLogMessage(failed(base, 'boom'), report)).toBe('sync: failed: boom');
  });

  it('names a part restacked without a worktree, and what it conflicted with', () => {
    const part: SyncResultBase = {
      ...base,
      name: 'x-part-2',
      kind: 'branch',
      path: null,
      branch: 'x-part-2',
      stack: { onto: 'x-part-1', parent: 'x-part-1', previousParent: 'x-part-1' },
    };
    expect(syncLogMessage(updated(part, after), report)).toBe(
      'sync: branch x-part-2 (no worktree) rebase onto x-part-1, 1111111111 → 2222222222',
    );
    expect(syncLogMessage(conflicted(part, ['f.go'], 'conflicts', '1111111111aaaa'), report)).toBe(
      'sync: branch x-part-2 (no worktree) conflict with x-part-1 in f.go; not synced, unchanged',
    );
    // Its result has the keys of every result, in the same order, the path null.
    expect(Object.keys(updated(part, after))).toEqual(Object.keys(updated(base, after)));
    expect(updated(part, after)).toMatchObject({ kind: 'branch', path: null });
  });

  it('logs only what changed: never a skip, a no-op or a dry run', () => {
    expect(syncLogMessage(upToDate(base, after), report)).toBeNull();
    expect(syncLogMessage(skipped(base, 'dirty', 'uncommitted'), report)).toBeNull();
    const dry = { ...report, dryRun: true };
    for (const result of [
      wouldUpdate(base, 'would rebase onto origin/main'),
      upToDate(base, after),
      skipped(base, 'dirty', 'uncommitted'),
      conflicted(base, ['f.go'], 'would conflict with origin/main', null),
      failed(base, 'boom'),
    ]) {
      expect(syncLogMessage(result, dry), result.status).toBeNull();
    }
  });
});
