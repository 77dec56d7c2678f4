import stringWidth from 'string-width';
import { escapeForTerminal, type Measure } from './text.js';

/**
 * The width of any text on screen: wide CJK and emoji count 2 columns, combining marks 0, cut
 * only between whole graphemes. Imported lazily (string-width and the segmenter load Unicode
 * data), only when a table holds more than printable ASCII.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const unicodeMeasure: Measure = {
  width: (escaped) => stringWidth(escaped),
  fitStart(text, width) {
    let used = 0;
    let end = 0;
    for (const { segment, index } of graphemes.segment(text)) {
      const size = stringWidth(escapeForTerminal(segment));
      if (used + size > width) break;
      used += size;
      end = index + segment.length;
    }
    return { text: text.slice(0, end), width: used };
  },
};
