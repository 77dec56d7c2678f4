import { describe, expect, it } from 'vitest';
import { parseAuthorship } from '../../src/git/commit.js';
import { parseStatusV2 } from '../../src/git/status.js';
import { parseWorktreeList } from '../../src/git/worktree.js';
import { colorLevel, colorSetting } from '../../src/ui/output.js';
import { createStyler } from '../../src/ui/style.js';
import { renderTable } from '../../src/ui/table.js';

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
});

describe('output', () => {
  const tty = { isTTY: true } as NodeJS.WriteStream;
  it('honours NO_COLOR, --no-color, --json and FORCE_COLOR', () => {
    expect(colorLevel({ json: false, color: true, stdout: tty, env: {} })).toBe(1);
    expect(colorLevel({ json: false, color: true, stdout: tty, env: { NO_COLOR: '1' } })).toBe(0);
    expect(colorLevel({ json: false, color: false, stdout: tty, env: {} })).toBe(0);
    expect(colorLevel({ json: true, color: true, stdout: tty, env: { FORCE_COLOR: '1' } })).toBe(0);
    expect(
      colorLevel({ json: false, color: true, stdout: {} as NodeJS.WriteStream, env: {} }),
    ).toBe(0);
    expect(
      colorLevel({
        json: false,
        color: true,
        stdout: {} as NodeJS.WriteStream,
        env: { FORCE_COLOR: '1' },
      }),
    ).toBe(1);
  });

  it("puts the user's colour choice below NO_COLOR, FORCE_COLOR and --no-color", () => {
    const pipe = {} as NodeJS.WriteStream;
    const level = (userColor: 'auto' | 'always' | 'never', env: NodeJS.ProcessEnv, color = true) =>
      colorLevel({ json: false, color, userColor, stdout: pipe, env });
    expect(level('always', {})).toBe(1);
    expect(level('always', { TERM: 'dumb' })).toBe(1);
    expect(level('auto', {})).toBe(0);
    expect(colorLevel({ json: false, color: true, userColor: 'never', stdout: tty, env: {} })).toBe(
      0,
    );
    expect(level('always', { NO_COLOR: '1' })).toBe(0);
    expect(level('never', { FORCE_COLOR: '3' })).toBe(3);
    expect(level('always', {}, false)).toBe(0);
    expect(colorLevel({ json: true, color: true, userColor: 'always', stdout: tty, env: {} })).toBe(
      0,
    );
    expect(colorSetting({ color: true, userColor: 'never', env: { FORCE_COLOR: '0' } })).toEqual({
      choice: 'never',
      source: 'env',
      from: 'FORCE_COLOR',
    });
    expect(colorSetting({ color: true, userColor: 'always', env: { NO_COLOR: '' } })).toEqual({
      choice: 'always',
      source: 'user',
    });
    expect(colorSetting({ color: true, env: {} })).toEqual({ choice: 'auto', source: 'default' });
  });

  it('aligns table columns ignoring our colours', () => {
    const styler = createStyler(1);
    const lines = renderTable(
      [
        { a: styler.palette.red('red'), b: '1' },
        { a: 'longer', b: '22' },
      ],
      [
        { header: 'A', value: (r) => r.a },
        { header: 'B', value: (r) => r.b, align: 'right' },
      ],
      { styler },
    );
    expect(lines.map(styler.render)).toEqual([
      'A        B',
      '\u001b[31mred\u001b[39m      1',
      'longer  22',
    ]);
  });
});
