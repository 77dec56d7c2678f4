import { describe, expect, it } from 'vitest';
import { colorLevel, colorSetting } from '../../src/ui/output.js';
import { createStyler } from '../../src/ui/style.js';
import { renderTable } from '../../src/ui/table.js';

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
