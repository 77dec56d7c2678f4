/**
 * The little of markdown the plan importer needs, line by line and forgiving: headings, table
 * rows (also inside list items and block quotes), bullets, code fences and inline formatting.
 * Nothing here throws: text the functions do not recognise is answered with null.
 */

/** Lines without their endings, whether the file has \n, \r\n or \r. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The text a reader sees: no **bold**, __bold__, *em*, `code` marks or link targets. */
export function inlineText(text: string): string {
  return (
    text
      // Brackets and parentheses are excluded inside, so each "[" scans only to the next one.
      .replace(/!?\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/(\*\*|__)(.*?)\1/g, '$2')
      .replace(/`+([^`]*)`+/g, '$1')
      .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?![\w*])/g, '$1$2')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The text with anything before its first ASCII letter or digit dropped (emoji, mojibake). */
export function fromFirstWord(text: string): string {
  return text.replace(/^[^A-Za-z0-9]+/, '');
}

/** The content of the first `code` span, or null. */
export function firstCode(text: string): string | null {
  const match = /`+([^`]+)`+/.exec(text);
  return match ? (match[1] as string).trim() : null;
}

export interface Heading {
  level: number;
  /** Inline formatting removed. */
  text: string;
}

export function heading(line: string): Heading | null {
  // Trimmed first and the closing #s cut by hand: a trailing \s* or \s+#+$ would make a long
  // run of spaces take quadratic time.
  const match = /^ {0,3}(#{1,6})(?:[ \t](.*))?$/.exec(line.trimEnd());
  if (!match) return null;
  let text = (match[2] ?? '').trim();
  let closing = 0;
  while (text[text.length - closing - 1] === '#') closing++;
  if (closing === text.length) text = '';
  else if (closing > 0 && /\s/.test(text[text.length - closing - 1] as string)) {
    text = text.slice(0, text.length - closing);
  }
  return { level: (match[1] as string).length, text: inlineText(text) };
}

/** An opening or closing code fence (``` or ~~~), possibly indented or in a list item. */
export function isFence(line: string): boolean {
  return /^\s*(?:(?:[-*+]|\d+[.)])\s+)?(```|~~~)/.test(line);
}

/** What is left of a line inside list items and block quotes: indentation, `>` and markers. */
function containerContent(line: string): string {
  return line.replace(/^(?:\s*>)*\s*(?:(?:[-*+]|\d+[.)])\s+)?/, '');
}

/**
 * The cells of a table row, trimmed, or null when the line is not one. A row starts with `|`
 * once its container (indentation, list marker, `>`) is removed; `\|` is a pipe inside a cell.
 */
export function tableCells(line: string): string[] | null {
  const content = containerContent(line).trimEnd();
  if (!content.startsWith('|')) return null;
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < content.length; i++) {
    const char = content[i] as string;
    if (char === '\\' && content[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  if (cell.trim() !== '') cells.push(cell.trim());
  return cells;
}

/** `|---|:--:|` */
export function isDelimiterRow(cells: readonly string[]): boolean {
  return cells.length > 0 && cells.every((cell) => /^:?-+:?$/.test(cell));
}

export interface Bullet {
  /** Columns of indentation before the marker (a tab counts 4). */
  indent: number;
  text: string;
}

export function bullet(line: string): Bullet | null {
  const match = /^([ \t]*)(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
  if (!match) return null;
  const indent = (match[1] as string).replace(/\t/g, '    ').length;
  return { indent, text: (match[2] as string).trim() };
}

/** Lower-case letters and digits joined by single dashes: "Agent 1" → "agent-1". */
export function slug(text: string, max = 64): string {
  const joined = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return joined.slice(0, max).replace(/-+$/, '');
}

const NUMBER = String.raw`\d{1,9}[a-z]?(?![\da-z])`;
const SEPARATOR = String.raw`\s*(?:,|&|\+|\/|-|\u2013|\u2014|\band\b|\bor\b|\bto\b|\bthrough\b)\s*`;

/**
 * The numbers named after `word` ("Stream", "Agent"), in order and once each:
 * "Streams 1 & 2" → ["1", "2"], "Streams 1-3" → ["1", "2", "3"], "Stream 2a" → ["2a"].
 */
export function numberedRefs(text: string, word: string): string[] {
  const list = new RegExp(
    String.raw`\b${word}s?\s*(?:#\s*)?(${NUMBER}(?:${SEPARATOR}${NUMBER})*)`,
    'gi',
  );
  const refs: string[] = [];
  for (const match of text.matchAll(list)) {
    const parts = (match[1] as string).split(new RegExp(`(${SEPARATOR})`, 'i'));
    for (let i = 0; i < parts.length; i += 2) {
      const ref = (parts[i] as string).toLowerCase();
      const before = (parts[i - 1] ?? '').trim().toLowerCase();
      const previous = parts[i - 2];
      const isRange = ['-', '–', '—', 'to', 'through'].includes(before);
      if (isRange && previous !== undefined && /^\d+$/.test(previous) && /^\d+$/.test(ref)) {
        const from = Number(previous);
        const to = Number(ref);
        if (to > from && to - from <= 100) {
          for (let n = from + 1; n < to; n++) refs.push(String(n));
        }
      }
      refs.push(ref);
    }
  }
  return [...new Set(refs)];
}
