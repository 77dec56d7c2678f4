// Visible width: ANSI color codes take no room.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleWidth(text: string): number {
  return text.replace(ANSI, '').length;
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: 'left' | 'right';
}

/** Renders rows as aligned columns, headers first. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) =>
    Math.max(visibleWidth(c.header), ...cells.map((r) => visibleWidth(r[i] ?? ''))),
  );
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(text)));
    return columns[i]?.align === 'right' ? fill + text : text + fill;
  };
  const lines = [columns.map((c, i) => pad(c.header, i)).join('  ')];
  for (const row of cells) lines.push(row.map((cell, i) => pad(cell, i)).join('  '));
  return lines.map((l) => l.trimEnd());
}
