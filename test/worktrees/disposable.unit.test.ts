import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disposableMatcher, keptIgnored, withoutCopies } from '../../src/worktrees/disposable.js';

describe('disposable ignored files', () => {
  it('reads patterns as .gitignore does: no slash is any depth, a trailing slash is folders only', () => {
    const m = disposableMatcher(['node_modules/', '*.log', 'build/cache']);
    expect(m('node_modules/')).toBe(true);
    expect(m('node_modules/x/index.js')).toBe(true);
    expect(m('pkg/node_modules/y.js')).toBe(true);
    expect(m('node_modules')).toBe(false); // a file called node_modules is not a folder
    expect(m('debug.log')).toBe(true);
    expect(m('logs/deep/build.log')).toBe(true);
    expect(m('build/cache/a.o')).toBe(true);
    expect(m('src/build/cache/a.o')).toBe(false);
    expect(m('.env')).toBe(false);
    expect(m('notes/')).toBe(false);
  });

  it('matches dot files and nothing at all without patterns', () => {
    expect(disposableMatcher(['.cache/'])('.cache/x')).toBe(true);
    const none = disposableMatcher([]);
    fc.assert(
      fc.property(fc.string(), (p) => {
        expect(none(p)).toBe(false);
      }),
    );
  });

  it('reports a folder whole when none of its files may go, else the files that may not', async () => {
    const m = disposableMatcher(['*.log']);
    const files: Record<string, string[]> = {
      'notes/': ['notes/a.md', 'notes/b.md'],
      'logs/': ['logs/x.log', 'logs/keep.txt'],
      'tmp/': ['tmp/y.log'],
      'empty/': [],
    };
    const kept = await keptIgnored(
      ['.env', 'a.log', 'notes/', 'logs/', 'tmp/', 'empty/'],
      m,
      async (folders) => folders.flatMap((f) => files[f] ?? []),
    );
    expect(kept).toEqual(['.env', 'logs/keep.txt', 'notes/']);
  });
});

describe('withoutCopies', () => {
  const copies = new Set(['.env', 'conf/a.json']);
  const isCopy = async (file: string) => copies.has(file);
  const filesIn = async () => ['conf/a.json', 'conf/b.json', 'notes/x.md'];

  it('drops unchanged copies, keeps the rest file by file, a folder whole when none is a copy', async () => {
    expect(await withoutCopies(['.env', 'conf/', 'notes/', 'todo.txt'], isCopy, filesIn)).toEqual([
      'conf/b.json',
      'notes/',
      'todo.txt',
    ]);
  });

  it('drops a folder whose files are all copies', async () => {
    expect(await withoutCopies(['conf/'], isCopy, async () => ['conf/a.json'])).toEqual([]);
  });
});
