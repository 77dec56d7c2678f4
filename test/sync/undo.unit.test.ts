import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../src/git/index.js';
import { classifyPath, sameConflictOutput, type PathFacts } from '../../src/sync/undo.js';

const b = (s: string) => Buffer.from(s);
const entry = (oid: string, stage = 0): IndexEntry => ({ mode: '100644', oid, stage });

const facts = (over: Partial<PathFacts>): PathFacts => ({
  worktree: b('on disk\n'),
  target: b('before\n'),
  index: [entry('git-wrote')],
  modified: false,
  gitOids: new Set(['git-wrote']),
  conflictOutputs: [],
  ...over,
});

describe('classifyPath', () => {
  it('puts back a file git wrote and nobody changed since', () => {
    expect(classifyPath(facts({}))).toBe('git');
  });

  it('keeps a file changed after git wrote it, or staged by someone', () => {
    expect(classifyPath(facts({ modified: true }))).toBe('keep');
    expect(classifyPath(facts({ index: [entry('someone-staged')] }))).toBe('keep');
  });

  it('has nothing to do for a file already as it was', () => {
    expect(classifyPath(facts({ worktree: b('before\n'), modified: true }))).toBe('same');
    expect(classifyPath(facts({ worktree: null, target: null, index: [] }))).toBe('same');
  });

  it('puts back a conflicted file only when it holds exactly what git wrote', () => {
    const output = b('<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> abc (subject)\n');
    const conflicted = [entry('base', 1), entry('ours', 2), entry('theirs', 3)];
    const wrote = b('<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\n');
    expect(
      classifyPath(facts({ index: conflicted, worktree: output, conflictOutputs: [wrote] })),
    ).toBe('git');
    const edited = b('<<<<<<< HEAD\nours, edited\n=======\ntheirs\n>>>>>>> abc (subject)\n');
    expect(
      classifyPath(facts({ index: conflicted, worktree: edited, conflictOutputs: [wrote] })),
    ).toBe('keep');
    expect(
      classifyPath(facts({ index: conflicted, worktree: null, conflictOutputs: [wrote] })),
    ).toBe('keep');
  });

  it('restores a file git deleted, and keeps one someone put there since', () => {
    expect(classifyPath(facts({ index: [], worktree: null }))).toBe('git');
    expect(classifyPath(facts({ index: [], worktree: b('new\n') }))).toBe('keep');
  });
});

describe('sameConflictOutput', () => {
  it('ignores the labels after the markers and nothing else', () => {
    const a = b('x\n<<<<<<< HEAD\n1\n||||||| parent of abc\n0\n=======\n2\n>>>>>>> abc (s)\n');
    const c = b('x\n<<<<<<< ours\n1\n||||||| base\n0\n=======\n2\n>>>>>>> theirs\n');
    expect(sameConflictOutput(a, c)).toBe(true);
    expect(sameConflictOutput(a, b('x\n<<<<<<< ours\n1\n=======\n2\n>>>>>>> theirs\n'))).toBe(
      false,
    );
    expect(sameConflictOutput(b('a\n'), b('a\r\n'))).toBe(false);
  });
});
