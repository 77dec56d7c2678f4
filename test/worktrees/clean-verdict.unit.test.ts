import { describe, expect, it } from 'vitest';
import { cleanVerdict, type CleanFacts } from '../../src/worktrees/clean.js';

const done: CleanFacts = {
  main: false,
  branch: 'topic',
  missing: false,
  claimedBy: null,
  foreignLock: false,
  dirty: false,
  operation: null,
  keptIgnored: [],
  integration: { status: 'integrated', how: 'squashed' },
};

describe('which worktrees worktree clean removes', () => {
  it('removes a clean, unclaimed worktree whose branch is integrated', () => {
    expect(cleanVerdict(done, null)).toEqual({ action: 'remove', how: 'squashed' });
  });

  it('keeps a worktree claimed by anyone but the acting agent, stale or not', () => {
    expect(cleanVerdict({ ...done, claimedBy: 'agent-2' }, null)).toMatchObject({ action: 'keep' });
    expect(cleanVerdict({ ...done, claimedBy: 'agent-2' }, 'agent-1')).toMatchObject({
      action: 'keep',
    });
    expect(cleanVerdict({ ...done, claimedBy: 'agent-1' }, 'agent-1')).toMatchObject({
      action: 'remove',
    });
  });

  it('keeps work: uncommitted or untracked, ignored files that are not disposable, a lock', () => {
    for (const facts of [
      { ...done, dirty: true },
      { ...done, operation: 'cherry-pick' as const },
      { ...done, keptIgnored: ['.env'] },
      { ...done, foreignLock: true },
      { ...done, missing: true },
      { ...done, branch: null },
      { ...done, main: true },
      { ...done, integration: { status: 'not-integrated' as const, unpicked: 1 } },
      { ...done, integration: null },
      { ...done, integration: { status: 'unstarted' as const } },
    ]) {
      expect(cleanVerdict(facts, null)).toMatchObject({ action: 'keep' });
    }
  });
});
