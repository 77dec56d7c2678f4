import { Chalk } from 'chalk';
import { asciiMeasure, escapeForTerminal, isPlainAscii, type Measure } from './text.js';
import { randomHex } from '../util/random.js';

/**
 * Colours that survive escaping. Renderers build lines with template strings mixing their own
 * words, text from elsewhere and colours; escaping must then keep our colours and turn every
 * control character in the rest into a visible escape. So the palette does not write colour
 * codes: it wraps text in markers holding a random per-process nonce, which no text from a file,
 * a ref or another agent can contain, and `render` escapes everything else and turns the markers
 * into colour codes (or drops them without colour).
 */

const STYLES = ['red', 'green', 'yellow', 'dim', 'bold'] as const;
type StyleName = (typeof STYLES)[number];
export type Palette = Readonly<Record<StyleName, (text: string) => string>>;

export interface Styler {
  readonly palette: Palette;
  /** The one way human text reaches a terminal: escaped, with our colours only. */
  render(text: string): string;
  /** Whether `text` renders as printable ASCII only (then asciiMeasure measures it). */
  plain(text: string): boolean;
  /** Columns `text` takes once rendered. */
  width(text: string, measure?: Measure): number;
  /** `text` cut with "…" to take at most `width` columns once rendered (colours kept). */
  truncate(text: string, width: number, measure?: Measure): string;
}

const MARK = '\uE000';
const CLOSE = '/';

interface Segment {
  text: string;
  styles: StyleName[];
}

export function createStyler(level: 0 | 1 | 2 | 3): Styler {
  const nonce = randomHex(8);
  const open = (i: number) => `${MARK}${nonce}${i}`;
  const close = `${MARK}${nonce}${CLOSE}`;
  const marker = new RegExp(`${MARK}${nonce}([0-9]|${CLOSE})`, 'g');
  const chalk = new Chalk({ level });

  const segments = (text: string): Segment[] => {
    const result: Segment[] = [];
    const stack: StyleName[] = [];
    let last = 0;
    for (const match of text.matchAll(marker)) {
      if (match.index > last)
        result.push({ text: text.slice(last, match.index), styles: [...stack] });
      const code = match[1] ?? CLOSE;
      if (code === CLOSE) stack.pop();
      else stack.push(STYLES[Number(code)] ?? 'bold');
      last = match.index + match[0].length;
    }
    if (last < text.length) result.push({ text: text.slice(last), styles: [...stack] });
    return result;
  };

  const wrap = (text: string, styles: readonly StyleName[]) =>
    styles.reduceRight((t, s) => open(STYLES.indexOf(s)) + t + close, text);

  const palette = Object.fromEntries(
    STYLES.map((name, i) => [
      name,
      // Without colour there is nothing to mark: plain text, escaped like the rest.
      level === 0 ? (text: string) => text : (text: string) => `${open(i)}${text}${close}`,
    ]),
  ) as Record<StyleName, (text: string) => string>;

  const width = (text: string, measure = asciiMeasure) =>
    segments(text).reduce((sum, s) => sum + measure.width(escapeForTerminal(s.text)), 0);

  return {
    palette,
    render(text) {
      return segments(text)
        .map(({ text: raw, styles }) => {
          const escaped = escapeForTerminal(raw);
          return styles.reduceRight((t, s) => chalk[s](t), escaped);
        })
        .join('');
    },
    plain: (text) => segments(text).every((s) => isPlainAscii(s.text)),
    width,
    truncate(text, max, measure = asciiMeasure) {
      if (width(text, measure) <= max) return text;
      let room = Math.max(0, max - 1);
      let kept = '';
      for (const { text: raw, styles } of segments(text)) {
        const fit = measure.fitStart(raw, room);
        if (fit.text !== '') kept += wrap(fit.text, styles);
        room -= fit.width;
        if (fit.text.length < raw.length) break;
      }
      return `${kept}…`;
    },
  };
}
