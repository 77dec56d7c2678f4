import type { Ora } from 'ora';
import { createStyler, type Palette } from './style.js';
import { renderTable, type Column } from './table.js';
import { escapeJsonText } from './text.js';

/**
 * How a command talks to the user: data to stdout, everything else to stderr. Every line of
 * human output is rendered here (src/ui/style.ts): control characters from any source are shown
 * as visible escapes, and only the palette's colours reach the terminal.
 */
export interface Output {
  readonly json: boolean;
  readonly color: Palette;
  /** A line of human output on stdout (suppressed in --json mode). */
  line(text?: string): void;
  /** Rows as aligned columns on stdout, fitted to the terminal's width when it is known. */
  table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): void;
  /** Progress, warnings and hints on stderr (suppressed in --json mode). */
  info(text: string): void;
  warn(text: string): void;
  /** An error on stderr, also in --json mode; its own line breaks are kept. */
  error(text: string): void;
  /** The one JSON document of a --json run. */
  data(value: unknown): void;
  /** A spinner on a TTY; a no-op otherwise (CI, pipes, --json). */
  spinner(text: string): Spinner;
}

export interface Spinner {
  update(text: string): void;
  stop(): void;
}

export interface OutputOptions {
  json: boolean;
  /** false for --no-color. */
  color: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env?: NodeJS.ProcessEnv;
}

/** chalk ignores NO_COLOR by itself; decide the level here, in one place. */
export function colorLevel(options: OutputOptions): 0 | 1 | 2 | 3 {
  const env = options.env ?? process.env;
  if (!options.color || options.json) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  // A dumb terminal shows colour codes as garbage.
  if (env.TERM === 'dumb') return 0;
  const stream = options.stdout ?? process.stdout;
  return stream.isTTY ? 1 : 0;
}

const noopSpinner: Spinner = { update() {}, stop() {} };

export function createOutput(options: OutputOptions): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const styler = createStyler(colorLevel(options));
  const color = styler.palette;
  const spinnersAllowed = !options.json && Boolean(stderr.isTTY) && !env.CI;
  const line = (text = '') => {
    if (!options.json) stdout.write(`${styler.render(text)}\n`);
  };
  return {
    json: options.json,
    color,
    line,
    table(rows, columns) {
      const maxWidth = stdout.isTTY && stdout.columns ? stdout.columns : undefined;
      for (const row of renderTable(rows, columns, { styler, ...(maxWidth ? { maxWidth } : {}) }))
        line(row);
    },
    info(text) {
      if (!options.json) stderr.write(`${styler.render(text)}\n`);
    },
    warn(text) {
      if (!options.json) stderr.write(`${styler.render(`${color.yellow('warning:')} ${text}`)}\n`);
    },
    error(text) {
      stderr.write(`${text.split('\n').map(styler.render).join('\n')}\n`);
    },
    data(value) {
      // JSON keeps the raw strings; what JSON.stringify leaves raw (C1, bidi) is \u-escaped.
      stdout.write(`${escapeJsonText(JSON.stringify(value, null, 2))}\n`);
    },
    spinner(text) {
      if (!spinnersAllowed) return noopSpinner;
      // ora is loaded only when a spinner is shown: importing it costs ~35 ms on every start-up,
      // the pre-push hook's included.
      let spinner: Ora | undefined;
      let current = text;
      let stopped = false;
      void import('ora').then(({ default: ora }) => {
        if (!stopped) spinner = ora({ text: current, stream: stderr, color: 'cyan' }).start();
      });
      return {
        update(next) {
          current = next;
          if (spinner) spinner.text = next;
        },
        stop() {
          stopped = true;
          spinner?.stop();
        },
      };
    },
  };
}
