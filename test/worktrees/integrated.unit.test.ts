import { describe, expect, it } from 'vitest';
import { hasOwnWork, reflogWork } from '../../src/worktrees/integrated.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('merged: whether a branch the base contains had work of its own', () => {
  it('reads where the branch was created and whether commits were made on it', () => {
    expect(
      reflogWork([
        { commit: B, subject: 'commit: fix the reconciler' },
        { commit: A, subject: 'branch: Created from origin/main' },
      ]),
    ).toEqual({ createdAt: A, madeCommits: true });
    expect(reflogWork([{ commit: A, subject: 'branch: Created from main' }])).toEqual({
      createdAt: A,
      madeCommits: false,
    });
    // A rebase onto a newer base moves the tip without a commit of the branch's own.
    expect(
      reflogWork([
        { commit: B, subject: 'rebase (finish): refs/heads/x onto ' + B },
        { commit: A, subject: 'branch: Created from main' },
      ]).madeCommits,
    ).toBe(false);
    expect(reflogWork([])).toEqual({ createdAt: null, madeCommits: false });
  });

  it('counts commits made on the branch, even fast-forwarded onto the first-parent line', () => {
    expect(hasOwnWork({ tip: B, createdAt: A, madeCommits: true, onFirstParent: true })).toBe(true);
  });

  it('does not count a fresh worktree whose tip is where the base was', () => {
    expect(hasOwnWork({ tip: A, createdAt: A, madeCommits: false, onFirstParent: true })).toBe(
      false,
    );
    expect(hasOwnWork({ tip: A, createdAt: null, madeCommits: false, onFirstParent: true })).toBe(
      false,
    );
  });

  it('counts a tip reached through a merge, unless the branch was created right there', () => {
    expect(hasOwnWork({ tip: B, createdAt: A, madeCommits: false, onFirstParent: false })).toBe(
      true,
    );
    expect(hasOwnWork({ tip: B, createdAt: null, madeCommits: false, onFirstParent: false })).toBe(
      true,
    );
    expect(hasOwnWork({ tip: B, createdAt: B, madeCommits: false, onFirstParent: false })).toBe(
      false,
    );
  });
});
