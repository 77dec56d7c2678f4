import stringWidth from 'string-width';

/**
 * Text from files, logs, refs and other agents reaches the terminal only through
 * escapeForTerminal: a log message, a claim's task or a branch name could otherwise clear the
 * screen, set the clipboard (OSC 52), move the cursor, reorder what is shown (bidi overrides) or
 * hide characters (zero-width and tag characters). Each such character is shown as a visible
 * escape instead (`\x1b`, `\u202e`); a backslash itself is left as it is, so paths stay readable.
 */

// Controls (C0, DEL, C1), invisible format characters, line and paragraph separators, lone
// surrogates, and the variation selectors that can smuggle hidden text inside one emoji.
const HARMFUL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u{E0100}-\u{E01EF}]/gu;
const JSON_RAW = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\u{E0100}-\u{E01EF}]/gu;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const ZWJ = '\u200d';
const ZWNJ = '\u200c';

function visibleEscape(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\u{${code.toString(16)}}`;
}

/** Whether the characters around a joiner are both non-ASCII (an emoji sequence, a script). */
function joinsLetters(text: string, offset: number, length: number): boolean {
  const before = text.codePointAt(offset - 1) ?? 0;
  const after = text.codePointAt(offset + length) ?? 0;
  return before > 0x7f && after > 0x7f;
}

/**
 * The one escape of human output. Joiners (ZWJ, ZWNJ) are kept only between non-ASCII
 * characters, where emoji sequences and scripts need them; between ASCII they only disguise a
 * name ("agent\u200d-1" looking like "agent-1").
 */
export function escapeForTerminal(text: string): string {
  return text.replace(HARMFUL, (ch, offset: number) =>
    (ch === ZWJ || ch === ZWNJ) && joinsLetters(text, offset, ch.length) ? ch : visibleEscape(ch),
  );
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns a (escaped) text takes in a terminal: wide CJK and emoji count 2, combining marks 0. */
export function textWidth(text: string): number {
  // Most cells are printable ASCII: one column each, without segmenting graphemes.
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of `text` whose escaped form takes at most `width` columns, whole grapheme by
 * whole grapheme, and its width.
 */
export function fitStart(text: string, width: number): { text: string; width: number } {
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const size = textWidth(escapeForTerminal(segment));
    if (used + size > width) break;
    used += size;
    end = index + segment.length;
  }
  return { text: text.slice(0, end), width: used };
}

/** JSON text safe to print: characters JSON.stringify leaves raw are written as \u escapes. */
export function escapeJsonText(json: string): string {
  // JSON.stringify escapes C0 controls and lone surrogates itself, and outside strings JSON has
  // only ASCII: every match is inside a string, where \uXXXX is the same character to a reader.
  return json.replace(JSON_RAW, (ch) =>
    Array.from(
      { length: ch.length },
      (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  );
}
