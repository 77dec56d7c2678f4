import type { OperationKind } from '../git/index.js';
import type {
  SkipCode,
  SyncConflict,
  SyncFailed,
  SyncOutcome,
  SyncResultBase,
  SyncSkipped,
  SyncSubject,
  SyncUpdated,
  SyncUpToDate,
  SyncWouldUpdate,
} from './types.js';

/**
 * The one way to make a SyncResult: a constructor per state, each filling the keys that do not
 * apply to it with null or []. Every result of `sync --json` has the same keys in the same
 * order (a reader may rely on it): `lead` and `trail` spell the keys around those of the state.
 */

function lead<S extends SyncOutcome>(base: SyncResultBase, status: S) {
  const subject: SyncSubject =
    base.kind === 'worktree'
      ? { kind: 'worktree', path: base.path }
      : { kind: 'branch', path: null };
  return { name: base.name, ...subject, branch: base.branch, status, before: base.before };
}

function trail(base: SyncResultBase) {
  return { recovered: base.recovered, stack: base.stack };
}

export function updated(base: SyncResultBase, after: string): SyncUpdated {
  return {
    ...lead(base, 'updated'),
    after,
    reason: null,
    skip: null,
    operation: null,
    conflicts: [],
    ...trail(base),
  };
}

/** A dry run's: `reason` says what would run. */
export function wouldUpdate(base: SyncResultBase, reason: string): SyncWouldUpdate {
  return {
    ...lead(base, 'updated'),
    after: null,
    reason,
    skip: null,
    operation: null,
    conflicts: [],
    ...trail(base),
  };
}

export function upToDate(base: SyncResultBase, head: string): SyncUpToDate {
  return {
    ...lead(base, 'up-to-date'),
    after: head,
    reason: null,
    skip: null,
    operation: null,
    conflicts: [],
    ...trail(base),
  };
}

export function skipped(
  base: SyncResultBase,
  skip: SkipCode,
  reason: string,
  operation: OperationKind | null = null,
): SyncSkipped {
  return {
    ...lead(base, 'skipped'),
    after: null,
    reason,
    skip,
    operation,
    conflicts: [],
    ...trail(base),
  };
}

export function conflicted(
  base: SyncResultBase,
  conflicts: string[],
  reason: string,
  after: string | null,
): SyncConflict {
  return {
    ...lead(base, 'conflict'),
    after,
    reason,
    skip: null,
    operation: null,
    conflicts,
    ...trail(base),
  };
}

export function failed(
  base: SyncResultBase,
  reason: string,
  found: { after?: string; operation?: OperationKind; conflicts?: string[] } = {},
): SyncFailed {
  return {
    ...lead(base, 'failed'),
    after: found.after ?? null,
    reason,
    skip: null,
    operation: found.operation ?? null,
    conflicts: found.conflicts ?? [],
    ...trail(base),
  };
}
