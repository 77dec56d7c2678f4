import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthorship } from '../../src/git/commit.js';
import { parseRawNumstat } from '../../src/git/diff.js';
import { parseDiffTreeBatch } from '../../src/git/history.js';
import { attributeFilesFor } from '../../src/git/objects.js';
import { parseStatusV2, splitStatusOutputs } from '../../src/git/status.js';
import { parseWorktreeList } from '../../src/git/worktree.js';

describe('git porcelain parsers', () => {
  it('reads a commit object for replaying it: author, date, encoding, message byte for byte', () => {
    const message = Buffer.from('caf\xe9: fix\n\nbody\n', 'latin1');
    const raw = Buffer.concat([
      Buffer.from(
        [
          `tree ${'a'.repeat(40)}`,
          `parent ${'b'.repeat(40)}`,
          'author Zoë Q. <zoe@example.com> 1700000000 +0100',
          'committer Someone <s@example.com> 1700000500 -0700',
          'encoding ISO-8859-1',
          'gpgsig -----BEGIN PGP SIGNATURE-----',
          ' author Not Me <no@example.com> 1 +0000',
          ' -----END PGP SIGNATURE-----',
          '',
          '',
        ].join('\n'),
      ),
      message,
    ]);
    const read = parseAuthorship(raw);
    expect(read).toMatchObject({
      name: 'Zoë Q.',
      email: 'zoe@example.com',
      date: '1700000000 +0100',
      encoding: 'ISO-8859-1',
    });
    expect(read?.message.equals(message)).toBe(true);
    expect(parseAuthorship(Buffer.from(`tree ${'a'.repeat(40)}\n\nno author\n`))).toBeNull();
  });

  it('parses worktree list -z with locked, prunable and detached entries', () => {
    const out = [
      'worktree /r/main',
      'HEAD aaaa',
      'branch refs/heads/main',
      '',
      'worktree /r/wt/a b',
      'HEAD bbbb',
      'branch refs/heads/feature/x',
      'locked claimed by agent-1: fixes',
      '',
      'worktree /r/wt/c',
      'HEAD cccc',
      'detached',
      'prunable gitdir file points to non-existent location',
      '',
      '',
    ].join('\0');
    const list = parseWorktreeList(out);
    expect(list).toHaveLength(3);
    expect(list[0]).toMatchObject({ path: '/r/main', branch: 'main', locked: null });
    expect(list[1]).toMatchObject({
      path: '/r/wt/a b',
      branch: 'feature/x',
      locked: 'claimed by agent-1: fixes',
    });
    expect(list[2]).toMatchObject({
      detached: true,
      branch: null,
      prunable: expect.stringContaining('gitdir'),
    });
  });

  it('counts staged, unstaged, untracked and unmerged entries of status v2', () => {
    const out = [
      '1 M. N... 100644 100644 100644 a a x.txt',
      '1 .M N... 100644 100644 100644 a a y.txt',
      '1 MM N... 100644 100644 100644 a a z.txt',
      '2 R. N... 100644 100644 100644 a a R100 new.txt',
      'old.txt',
      'u UU N... 100644 100644 100644 100644 a b c conflict.txt',
      '? new file.txt',
      '',
    ].join('\0');
    expect(parseStatusV2(out)).toEqual({ staged: 3, unstaged: 2, untracked: 1, unmerged: 1 });
  });

  it("splits several worktrees' status outputs at their headers, never at a path", () => {
    const head = (oid: string, branch: string) => [
      `# branch.oid ${oid}`,
      `# branch.head ${branch}`,
    ];
    const rename = `2 R. N... 100644 100644 100644 ${'a'.repeat(40)} ${'a'.repeat(40)} R100 new.go`;
    const outputs = [
      [...head('1'.repeat(40), 'a'), '? scratch.txt'],
      // The old name of a rename looks like a header: it is the rename's second field.
      [...head('2'.repeat(40), 'b'), rename, '# branch.oid 0000', '? # branch.oid x'],
      head('(initial)', '(detached)'),
    ].map((records) => records.map((r) => `${r}\0`).join(''));
    const split = splitStatusOutputs(outputs.join(''));
    expect(split).toEqual(outputs);
    expect(split.map(parseStatusV2)).toEqual([
      { staged: 0, unstaged: 0, untracked: 1, unmerged: 0 },
      { staged: 1, unstaged: 0, untracked: 1, unmerged: 0 },
      { staged: 0, unstaged: 0, untracked: 0, unmerged: 0 },
    ]);
    // Output that does not start with a header is not taken apart at all.
    expect(splitStatusOutputs('? a\0# branch.oid 1\0')).toEqual([]);
    expect(splitStatusOutputs('')).toEqual([]);
  });
});

describe('parseDiffTreeBatch', () => {
  const blob = (c: string) => c.repeat(40);
  const raw = (status: string, mode: string, id: string) =>
    `:100644 ${mode} ${blob('1')} ${id} ${status}`;

  it('splits the raw records at the commit ids given, in order, with what the commit holds', () => {
    const out =
      [
        'c1',
        raw('M', '100644', blob('a')),
        'a.txt',
        raw('D', '000000', blob('0')),
        'dir/b.txt',
        'c2',
        'c3',
        raw('M', '100755', blob('b')),
        'x',
      ].join('\0') + '\0';
    expect(parseDiffTreeBatch(out, ['c1', 'c2', 'c3'])).toEqual([
      [
        { path: 'a.txt', mode: '100644', blob: blob('a') },
        { path: 'dir/b.txt', mode: '000000', blob: blob('0') },
      ],
      [],
      [{ path: 'x', mode: '100755', blob: blob('b') }],
    ]);
  });

  it('keeps a path equal to a commit id, or starting with a colon, as a path', () => {
    const out =
      ['c1', raw('M', '100644', blob('a')), 'c2', raw('A', '100644', blob('b')), ':x', 'c2'].join(
        '\0',
      ) + '\0';
    expect(parseDiffTreeBatch(out, ['c1', 'c2']).map((l) => l.map((f) => f.path))).toEqual([
      ['c2', ':x'],
      [],
    ]);
  });
});

describe('diff --raw --numstat -z parser', () => {
  it('pairs raw and numstat records, renames, binaries and submodules', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const z = '0'.repeat(40);
    const out = [
      `:100644 100644 ${a} ${b} R090`,
      'old name.go',
      'new name.go',
      `:100644 100644 ${a} ${b} M`,
      'img.png',
      `:160000 160000 ${a} ${b} M`,
      'sub',
      `:100644 000000 ${a} ${z} D`,
      'gone.txt',
      '3\t1\t',
      'old name.go',
      'new name.go',
      '-\t-\timg.png',
      '1\t1\tsub',
      '0\t7\tgone.txt',
      '',
    ].join('\0');
    const entries = parseRawNumstat(out);
    expect(
      entries.map((e) => [e.path, e.oldPath, e.status, e.added, e.deleted, e.binary, e.submodule]),
    ).toEqual([
      ['new name.go', 'old name.go', 'R', 3, 1, false, false],
      ['img.png', null, 'M', 0, 0, true, false],
      ['sub', null, 'M', 1, 1, false, true],
      ['gone.txt', null, 'D', 0, 7, false, false],
    ]);
  });
});

describe('the .gitattributes files git consults', () => {
  it('are the root one and one in every folder above each path, each once', () => {
    expect(attributeFilesFor(['README.md', 'api/v1/types.go', 'api/other.go', 'a b/c'])).toEqual([
      '.gitattributes',
      'api/.gitattributes',
      'api/v1/.gitattributes',
      'a b/.gitattributes',
    ]);
    expect(attributeFilesFor([])).toEqual(['.gitattributes']);
  });

  it('hold every folder of every path, and nothing else', () => {
    const part = fc.stringMatching(/^[a-z.]{1,3}$/);
    fc.assert(
      fc.property(
        fc.array(fc.array(part, { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        (parts) => {
          const paths = parts.map((p) => p.join('/'));
          const expected = new Set(['.gitattributes']);
          for (const p of parts) {
            for (let n = 1; n < p.length; n++)
              expected.add(`${p.slice(0, n).join('/')}/.gitattributes`);
          }
          expect(new Set(attributeFilesFor(paths))).toEqual(expected);
        },
      ),
    );
  });
});
