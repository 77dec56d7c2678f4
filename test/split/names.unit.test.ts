import { describe, expect, it } from 'vitest';
import { partBranchNames, partWorktreeName, takenNames } from '../../src/split/apply.js';

describe('part names', () => {
  it('names parts after the branch, or after --name', () => {
    expect(partBranchNames('feat/x', undefined, 3)).toEqual([
      'feat/x-part-1',
      'feat/x-part-2',
      'feat/x-part-3',
    ]);
    expect(partBranchNames('feat/x', 'tmc', 2)).toEqual(['tmc-1', 'tmc-2']);
    expect(partBranchNames(null, 'tmc', 1)).toEqual(['tmc-1']);
    expect(partBranchNames(null, undefined, 2)).toBeNull();
  });

  it('names worktrees without the branch prefix, slashes made dashes', () => {
    expect(partWorktreeName('feature/team/x-part-1', 'feature/team/')).toBe('x-part-1');
    expect(partWorktreeName('other/x-part-1', 'feature/team/')).toBe('other-x-part-1');
    expect(partWorktreeName('x-part-1', '')).toBe('x-part-1');
  });

  it('finds names taken by a branch, or by a branch one of them would be a folder of', () => {
    expect(takenNames(['a-1', 'a-2', 'b/c-1', 'd-1'], ['a-2', 'b', 'd-1/e', 'main'])).toEqual([
      { name: 'a-2', branch: 'a-2' },
      { name: 'b/c-1', branch: 'b' },
      { name: 'd-1', branch: 'd-1/e' },
    ]);
    expect(takenNames(['ab-1'], ['a', 'ab-10'])).toEqual([]);
  });
});
