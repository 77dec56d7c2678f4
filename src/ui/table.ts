import { createStyler, type Styler } from './style.js';
import { asciiMeasure, type Measure } from './text.js';

export interface Column<Row> {
  header: string;
  /** The cell as text: raw (it is escaped when printed), coloured through the palette. */
  value: (row: Row) => string;
  align?: 'left' | 'right';
  /** Free text (a message, a task): the column cut with "…" when the table is too wide. */
  shrink?: boolean;
  /** Never wider than this: longer cells are cut with "…". */
  max?: number;
}

export interface TableOptions {
  /** Renders cells as they will be printed; without colour by default. */
  styler?: Styler;
  /** Widths on screen: asciiMeasure (the default) when every cell is plain ASCII. */
  measure?: Measure;
  /** The terminal's width, when known: the widest free-text column is cut to fit it. */
  maxWidth?: number;
}

const GAP = 2;
/** A free-text column is never cut narrower than this (nor than its header). */
const MIN_SHRUNK = 12;

/**
 * Column widths fitted to `maxWidth`: while the table is too wide, the widest shrinkable column
 * gives up one column (so two wide ones end up level), never below its minimum.
 */
export function fitWidths(
  widths: readonly number[],
  minimums: readonly (number | null)[],
  maxWidth: number | undefined,
): number[] {
  const fitted = [...widths];
  if (maxWidth === undefined || maxWidth <= 0) return fitted;
  let over = fitted.reduce((a, b) => a + b, 0) + GAP * Math.max(0, fitted.length - 1) - maxWidth;
  while (over > 0) {
    let widest = -1;
    for (const [i, min] of minimums.entries()) {
      if (min === null || (fitted[i] ?? 0) <= min) continue;
      if (widest === -1 || (fitted[i] ?? 0) > (fitted[widest] ?? 0)) widest = i;
    }
    if (widest === -1) break;
    fitted[widest] = (fitted[widest] ?? 0) - 1;
    over--;
  }
  return fitted;
}

/**
 * Renders rows as aligned columns, headers first. Widths are measured on the text as printed
 * (escapes shown, wide characters counted twice); the lines still go through the output's
 * render, which escapes them.
 */
export function renderTable<Row>(
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  options: TableOptions = {},
): string[] {
  const styler = options.styler ?? createStyler(0);
  const measure = options.measure ?? asciiMeasure;
  const width = (text: string) => styler.width(text, measure);
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const natural = columns.map((c, i) =>
    Math.min(c.max ?? Infinity, Math.max(width(c.header), ...cells.map((r) => width(r[i] ?? '')))),
  );
  const minimums = columns.map((c) => (c.shrink ? Math.max(width(c.header), MIN_SHRUNK) : null));
  const widths = fitWidths(natural, minimums, options.maxWidth);
  const pad = (text: string, i: number) => {
    const room = widths[i] ?? 0;
    const cell = width(text) > room ? styler.truncate(text, room, measure) : text;
    const fill = ' '.repeat(Math.max(0, room - width(cell)));
    return columns[i]?.align === 'right' ? fill + cell : cell + fill;
  };
  const lines = [columns.map((c, i) => pad(c.header, i)).join(' '.repeat(GAP))];
  for (const row of cells) lines.push(row.map((cell, i) => pad(cell, i)).join(' '.repeat(GAP)));
  return lines.map((l) => l.trimEnd());
}
