import { describe, expect, it } from 'vitest';
import { parseConfigEntries } from '../../src/git/config.js';
import { parseStack } from '../../src/stack/record.js';
import { shellWord } from '../../src/ui/format.js';

const ID = 'a'.repeat(40);

describe('parseStack', () => {
  it('reads parents and fork points of branches whose names hold dots and slashes', () => {
    const entries = parseConfigEntries(
      [
        `branch.feat/x.y-part-2.tmcorchparent\nfeat/x.y-part-1`,
        `branch.feat/x.y-part-2.tmcorchforkpoint\n${ID}`,
        `branch.other.tmcorchforkpoint\n${ID}`,
        '',
      ].join('\0'),
    );
    expect([...parseStack(entries).values()]).toEqual([
      { branch: 'feat/x.y-part-2', parent: 'feat/x.y-part-1', forkPoint: ID },
    ]);
  });

  it('ignores an empty parent, a branch its own parent, and a fork point that is no id', () => {
    const entries = parseConfigEntries(
      [
        'branch.a.tmcorchparent\n',
        'branch.b.tmcorchparent\nb',
        'branch.c.tmcorchparent\nmain',
        'branch.c.tmcorchforkpoint\nHEAD~1',
        '',
      ].join('\0'),
    );
    expect([...parseStack(entries).values()]).toEqual([
      { branch: 'c', parent: 'main', forkPoint: null },
    ]);
  });
});

describe('shellWord', () => {
  it('leaves plain branch names alone and quotes the rest so a shell reads them back', () => {
    expect(shellWord('feat/x-part-1')).toBe('feat/x-part-1');
    expect(shellWord("it's;rm")).toBe(`'it'\\''s;rm'`);
  });
});
