import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colorLevel, createOutput, fitFrame, progressMode } from '../../src/ui/output.js';
import { createStyler } from '../../src/ui/style.js';
import { fitWidths, renderTable } from '../../src/ui/table.js';
import { escapeForTerminal, escapeJsonText } from '../../src/ui/text.js';
import { unicodeMeasure } from '../../src/ui/width.js';

const textWidth = unicodeMeasure.width;

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;

describe('escapeForTerminal', () => {
  it('shows controls, bidi and zero-width characters as visible escapes', () => {
    expect(escapeForTerminal('a\x1b]52;c;eA==\x07b')).toBe('a\\x1b]52;c;eA==\\x07b');
    expect(escapeForTerminal('\x9b2J \x7f \t\n\r')).toBe('\\x9b2J \\x7f \\t\\n\\r');
    expect(escapeForTerminal('abc\u202edef\u2066\u2069')).toBe('abc\\u202edef\\u2066\\u2069');
    expect(escapeForTerminal('agent\u200b-1\ufeff\u2028')).toBe('agent\\u200b-1\\ufeff\\u2028');
    // Tag characters and the supplementary variation selectors hide text inside one emoji.
    expect(escapeForTerminal('👍\u{E0100}\u{E0041}')).toBe('👍\\u{e0100}\\u{e0041}');
    expect(escapeForTerminal('\ud800 lone')).toBe('\\ud800 lone');
  });

  it('keeps printable text, backslashes, emoji sequences and joiners between letters', () => {
    const family = '👨\u200d👩\u200d👧 ❤️ 日本語 é C:\\path';
    expect(escapeForTerminal(family)).toBe(family);
    expect(escapeForTerminal('agent\u200d-1')).toBe('agent\\u200d-1');
  });

  it('leaves nothing raw, and escaping twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const once = escapeForTerminal(text);
        expect(once).not.toMatch(RAW);
        expect(escapeForTerminal(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('JSON text: raw C1 and bidi become \\u escapes of the same string', () => {
    const value = { s: 'a\u009b\u202e\u2066b\x7f', n: '\n' };
    const text = escapeJsonText(JSON.stringify(value, null, 2));
    expect(text).not.toMatch(/[\u007f-\u009f\u202e\u2066]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('styler', () => {
  const plant = 'x\x1b[2Jy\u202e';

  it('renders our colours and escapes everything else', () => {
    const styler = createStyler(1);
    const text = `${styler.palette.red(plant)} and ${plant}`;
    expect(styler.render(text)).toBe('\x1b[31mx\\x1b[2Jy\\u202e\x1b[39m and x\\x1b[2Jy\\u202e');
  });

  it('without colour the palette adds nothing', () => {
    const styler = createStyler(0);
    expect(styler.render(`${styler.palette.dim('a')}\x1b`)).toBe('a\\x1b');
  });

  it('a marker without the nonce is plain text', () => {
    const styler = createStyler(1);
    const forged = '\uE0000123456789abcdef0';
    expect(styler.render(forged)).toBe(forged);
  });

  it('measures and cuts text as printed, colours kept', () => {
    const styler = createStyler(1);
    const measure = unicodeMeasure;
    expect(styler.width(styler.palette.green('日本'), measure)).toBe(4);
    expect(styler.width('\x1b')).toBe(4);
    const cut = styler.truncate(`${styler.palette.red('abc日本')}def`, 6, measure);
    expect(styler.width(cut, measure)).toBeLessThanOrEqual(6);
    expect(styler.truncate('abcdefgh', 4)).toBe('abc…');
    expect(styler.render(cut)).toBe('\x1b[31mabc日\x1b[39m…');
  });
});

describe('renderTable', () => {
  const columns = [
    { header: 'NAME', value: (r: { name: string; note: string }) => r.name },
    { header: 'NOTE', value: (r: { name: string; note: string }) => r.note, shrink: true },
  ];

  it('aligns wide characters by their width on screen', () => {
    const rows = [
      { name: '日本', note: 'x' },
      { name: 'ab', note: 'y' },
    ];
    expect(renderTable(rows, columns, { measure: unicodeMeasure })).toEqual([
      'NAME  NOTE',
      '日本  x',
      'ab    y',
    ]);
  });

  it('cuts the free-text column with … to fit the terminal', () => {
    const rows = [{ name: 'w1', note: 'a long message that does not fit in thirty columns' }];
    const lines = renderTable(rows, columns, { maxWidth: 30 });
    expect(lines[1]).toBe('w1    a long message that doe…');
    expect(lines.every((l) => textWidth(l) <= 30)).toBe(true);
  });

  it('takes width from the widest free-text column, never below its minimum', () => {
    expect(fitWidths([10, 40, 30], [null, 12, 12], 60)).toEqual([10, 23, 23]);
    expect(fitWidths([10, 40, 30], [null, 12, null], 60)).toEqual([10, 16, 30]);
    expect(fitWidths([10, 40], [null, 12], 5)).toEqual([10, 12]);
    expect(fitWidths([10, 40], [null, 12], undefined)).toEqual([10, 40]);
  });
});

describe('output', () => {
  it('measures a table with wide characters by their width on screen', async () => {
    const chunks: string[] = [];
    const stdout = { isTTY: false, write: (c: string) => chunks.push(c) > 0 } as never;
    const rows = [{ name: '日本' }, { name: 'ab' }];
    const cols = [
      { header: 'NAME', value: (r: { name: string }) => r.name },
      { header: 'X', value: () => 'x' },
    ];
    await createOutput({ json: false, color: false, stdout, env: {} }).table(rows, cols);
    expect(chunks.join('')).toBe('NAME  X\n日本  x\nab    x\n');
  });

  const sink = (isTTY: boolean, columns?: number) => {
    const chunks: string[] = [];
    return {
      stream: { isTTY, columns, write: (c: string) => chunks.push(c) > 0 } as never,
      text: () => chunks.join(''),
    };
  };

  it('escapes every line, warning and error, keeping an error\u2019s own line breaks', () => {
    const out = sink(false);
    const err = sink(false);
    const o = createOutput({ json: false, color: true, stdout: out.stream, stderr: err.stream });
    o.line('a\x1b[2J\nb');
    o.warn('w\u202e');
    o.error('first\nsecond\x07');
    expect(out.text()).toBe('a\\x1b[2J\\nb\n');
    expect(err.text()).toBe('warning: w\\u202e\nfirst\nsecond\\x07\n');
  });

  it('fits tables to the terminal only when stdout is one with a known width', async () => {
    const rows = [{ note: 'x'.repeat(100) }];
    const cols = [{ header: 'NOTE', value: (r: { note: string }) => r.note, shrink: true }];
    for (const [tty, width, expected] of [
      [true, 40, 40],
      [false, 40, 100],
      [true, 0, 100],
    ] as const) {
      const out = sink(tty, width);
      await createOutput({ json: false, color: false, stdout: out.stream, env: {} }).table(
        rows,
        cols,
      );
      expect(out.text().split('\n')[1]?.length, `${tty} ${width}`).toBe(expected);
    }
  });

  it('a watch frame taller than the terminal keeps its top and never scrolls the screen', () => {
    const frame = 'header\n\nrow 1\nrow 2\nrow 3\nrow 4\n';
    expect(fitFrame(frame, 4)).toBe('header\n\nrow 1\n… 3 more lines: make the terminal taller');
    // No line break after the last line: on the bottom row it would scroll the header away.
    expect(fitFrame(frame, 6)).toBe('header\n\nrow 1\nrow 2\nrow 3\nrow 4');
    expect(fitFrame(frame, undefined)).toBe('header\n\nrow 1\nrow 2\nrow 3\nrow 4');
    expect(fitFrame(frame, 0)).toBe('header\n\nrow 1\nrow 2\nrow 3\nrow 4');
  });

  it('a live screen draws each frame within the terminal, line wrapping off until it closes', () => {
    const chunks: string[] = [];
    const stdout = { isTTY: true, rows: 3, columns: 80, write: (c: string) => chunks.push(c) > 0 };
    const screen = createOutput({
      json: false,
      color: false,
      stdout: stdout as never,
      env: {},
    }).screen();
    screen.draw('a\nb\nc\nd\n');
    screen.close('a\nb\nc\nd\n');
    const text = chunks.join('');
    expect(text).toBe(
      '\x1b[?1049h\x1b[?25l\x1b[?7l' +
        '\x1b[H\x1b[Ja\nb\n… 2 more lines: make the terminal taller' +
        '\x1b[?7h\x1b[?25h\x1b[?1049la\nb\nc\nd\n',
    );
  });

  it('no colour under TERM=dumb unless FORCE_COLOR asks for it', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    expect(colorLevel({ json: false, color: true, stdout: tty, env: { TERM: 'dumb' } })).toBe(0);
    expect(
      colorLevel({
        json: false,
        color: true,
        stdout: tty,
        env: { TERM: 'dumb', FORCE_COLOR: '1' },
      }),
    ).toBe(1);
  });
});

describe('progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const stream = (isTTY: boolean, columns?: number) => ({ isTTY, columns }) as NodeJS.WriteStream;

  it('a spinner only on a terminal of known width, outside CI, TERM=dumb and --json', () => {
    const mode = (stderr: NodeJS.WriteStream, env: NodeJS.ProcessEnv = {}, json = false) =>
      progressMode({ json, color: true, stderr, env });
    expect(mode(stream(true, 80))).toBe('spinner');
    expect(mode(stream(true, 0))).toBe('lines');
    expect(mode(stream(true, undefined))).toBe('lines');
    expect(mode(stream(false, 80))).toBe('lines');
    expect(mode(stream(true, 80), { CI: 'true' })).toBe('lines');
    expect(mode(stream(true, 80), { TERM: 'dumb' })).toBe('lines');
    expect(mode(stream(true, 80), {}, true)).toBe('none');
  });

  it('plain lines only once the work has run long enough, each step once', () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const stderr = { isTTY: false, write: (c: string) => written.push(c) > 0 } as never;
    const out = createOutput({ json: false, color: false, stderr, env: {} });
    const progress = out.progress('syncing…');
    progress.update('synced 1/8 a');
    vi.advanceTimersByTime(1999);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(written).toEqual(['synced 1/8 a\n']);
    progress.update('synced 2/8 b\x1b[2J');
    progress.update('synced 2/8 b\x1b[2J');
    progress.stop();
    expect(written).toEqual(['synced 1/8 a\n', 'synced 2/8 b\\x1b[2J\n']);

    const short = out.progress('syncing…');
    short.update('synced 1/1 a');
    short.stop();
    vi.advanceTimersByTime(5000);
    expect(written).toHaveLength(2);
  });
});
