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

/** How wide text is on screen. Text with more than printable ASCII needs src/ui/width.ts. */
export interface Measure {
  /** Columns an escaped text takes. */
  width(escaped: string): number;
  /** The longest start of raw `text` whose escaped form fits `width` columns, and its width. */
  fitStart(text: string, width: number): { text: string; width: number };
}

/** Whether `text`, once escaped, is printable ASCII: one column per character. */
export function isPlainAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(escapeForTerminal(text));
}

/**
 * The measure of printable ASCII, which needs no Unicode tables: loading string-width builds an
 * Intl.Segmenter, tens of ms at start-up, so it is loaded only for text that needs it.
 */
export const asciiMeasure: Measure = {
  width: (escaped) => escaped.length,
  fitStart(text, width) {
    let used = 0;
    let end = 0;
    for (const ch of text) {
      const size = escapeForTerminal(ch).length;
      if (used + size > width) break;
      used += size;
      end += ch.length;
    }
    return { text: text.slice(0, end), width: used };
  },
};

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
