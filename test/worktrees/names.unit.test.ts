import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupName, pickWorktree } from '../../src/worktrees/lookup.js';
import { UsageError } from '../../src/errors.js';
import {
  branchNameProblem,
  MAX_NAME_LENGTH,
  worktreeNameProblem,
} from '../../src/worktrees/names.js';

const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
const rest = fc.constantFrom(...'abcxyzXYZ0189._-');

describe('worktree names', () => {
  it('accepts the names teams use', () => {
    for (const name of [
      '03a-foundation',
      '02-apiexport-split',
      'main',
      'testing-integration',
      'a',
      'v1.2_x',
    ]) {
      expect(worktreeNameProblem(name)).toBeNull();
    }
  });

  it.each([
    '',
    '../../x',
    '$(id)',
    '-rf',
    'a;b',
    'x.lock',
    'a/b',
    'a..b',
    '.hidden',
    'a b',
    'é',
    'x'.repeat(65),
    'X.LOCK',
  ])('rejects %j', (name) => {
    expect(worktreeNameProblem(name)).not.toBeNull();
  });

  it('every accepted name is one path segment that stays inside the root', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (name) => {
        if (worktreeNameProblem(name) !== null) return;
        const root = '/srv/worktrees';
        const full = path.resolve(root, name);
        expect(path.dirname(full)).toBe(root);
        expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
        expect(name.startsWith('-')).toBe(false);
        expect(name.endsWith('.lock')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every name built from the allowed alphabet without ".." or ".lock"', () => {
    fc.assert(
      fc.property(alnum, fc.array(rest, { maxLength: 40 }), (first, tail) => {
        const name = first + tail.join('');
        const expectedOk = !name.includes('..') && !name.toLowerCase().endsWith('.lock');
        expect(worktreeNameProblem(name) === null).toBe(expectedOk);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects any name containing a character outside the alphabet', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /[^A-Za-z0-9._-]/.test(s)),
        (name) => {
          expect(worktreeNameProblem(name)).not.toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('worktree lookup by name', () => {
  const all = [
    { name: 'repo', path: '/r/repo' },
    { name: 'b', path: '/r/wt/b' },
    { name: 'b', path: '/elsewhere/b' },
    { name: 'c', path: '/r/wt/c' },
  ];

  it('finds the one worktree of a name', () => {
    expect(pickWorktree(all, 'c')).toEqual({ name: 'c', path: '/r/wt/c' });
  });

  it('an unknown name is bad input listing the known ones', () => {
    expect(() => pickWorktree(all, 'x')).toThrow(UsageError);
    expect(() => pickWorktree(all, 'x')).toThrow(/no worktree named "x" \(known: repo, b, b, c\)/);
  });

  it('a name two worktrees share is bad input naming both paths, never a pick', () => {
    expect(lookupName(all, 'b')).toEqual({
      status: 'ambiguous',
      paths: ['/r/wt/b', '/elsewhere/b'],
    });
    expect(() => pickWorktree(all, 'b')).toThrow(
      /\/r\/wt\/b and \/elsewhere\/b.*git worktree move/,
    );
  });

  it('an invalid name is refused before any lookup', () => {
    expect(() => pickWorktree(all, '../b')).toThrow(/invalid worktree name/);
  });
});

describe('branch names another ref would shadow', () => {
  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,12}$/);
  const remote = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);

  it('accepts the names teams use', () => {
    for (const name of ['03a-foundation', 'feature/tmc2-impl2/03a', 'tmc/x', 'fix.1', 'main']) {
      expect(branchNameProblem(name, ['origin', 'upstream'])).toBeNull();
    }
    // Only configured remotes shadow: with none, origin/x is an ordinary name.
    expect(branchNameProblem('origin/main', [])).toBeNull();
  });

  it('refuses every name under a configured remote, and the remote name itself', () => {
    fc.assert(
      fc.property(fc.array(remote, { minLength: 1, maxLength: 3 }), segment, (remotes, rest) => {
        for (const r of remotes) {
          expect(branchNameProblem(`${r}/${rest}`, remotes)).toMatch(/under the remote/);
          expect(branchNameProblem(r, remotes)).toMatch(/name of the remote/);
        }
      }),
    );
  });

  it('refuses pseudo-refs in any case, names under refs/ heads/ tags/ remotes/, ids, and a final "."', () => {
    for (const name of [
      'HEAD',
      'head',
      'ORIG_HEAD',
      'FETCH_HEAD',
      'MERGE_HEAD',
      'CHERRY_PICK_HEAD',
      'REVERT_HEAD',
      'BISECT_HEAD',
      'REBASE_HEAD',
      'AUTO_MERGE',
      'Merge_Head',
      'a'.repeat(40),
      'b'.repeat(64),
    ]) {
      expect(branchNameProblem(name, []), name).not.toBeNull();
    }
    fc.assert(
      fc.property(fc.constantFrom('refs', 'heads', 'tags', 'remotes'), segment, (first, rest) => {
        expect(branchNameProblem(`${first}/${rest}`, [])).toMatch(/starts with/);
        expect(branchNameProblem(`${rest}.`, [])).not.toBeNull();
      }),
    );
    // Words that merely end in "head" are names like any other.
    for (const name of ['ahead', 'overhead', 'HEADS', 'head-start']) {
      expect(branchNameProblem(name, []), name).toBeNull();
    }
  });
});
