// Over 250 lines: the output sink and its colour, progress and screen policies decide together.
import { Writable } from 'node:stream';
import type { Ora } from 'ora';
import { createStyler, type Palette } from './style.js';
import { renderTable, type Column } from './table.js';
import { asciiMeasure, escapeJsonText } from './text.js';

/**
 * How a command talks to the user: data to stdout, everything else to stderr. Every line of
 * human output is rendered here (src/ui/style.ts): control characters from any source are shown
 * as visible escapes, and only the palette's colours reach the terminal.
 */
export interface Output {
  readonly json: boolean;
  readonly color: Palette;
  /** Who decided on colour for human output (under --json there is none either way). */
  readonly colorSetting: ColorSetting;
  /** A line of human output on stdout (suppressed in --json mode). */
  line(text?: string): void;
  /** Rows as aligned columns on stdout, fitted to the terminal's width when it is known. */
  table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): Promise<void>;
  /** Progress, warnings and hints on stderr (suppressed in --json mode). */
  info(text: string): void;
  warn(text: string): void;
  /** An error on stderr, also in --json mode; its own line breaks are kept. */
  error(text: string): void;
  /** The one JSON document of a --json run. */
  data(value: unknown): void;
  /**
   * Progress of long work on stderr: a spinner on a terminal of known width, plain lines
   * elsewhere once the work has taken PROGRESS_LINES_AFTER_MS; nothing in --json mode.
   */
  progress(text: string): Progress;
  /** An output with the same settings that writes stdout and stderr into one buffer: a frame. */
  capture(): { out: Output; text(): string };
  /**
   * Frames drawn one after another (status --watch): in place on a terminal (stdout a TTY, not
   * TERM=dumb), else each printed after the last, separated by a blank line.
   */
  screen(): Screen;
}

interface Screen {
  /** Whether frames replace each other in place. */
  readonly live: boolean;
  /** Shows `frame`, text rendered by a capture() of this output. */
  draw(frame: string): void;
  /** Whether the reader of stdout has gone (`| head` exited): no frame can be seen any more. */
  readonly gone: boolean;
  /**
   * Gives the terminal back as it was (the normal screen, the cursor shown), then prints `last`
   * there so the final frame stays in the scrollback.
   */
  close(last?: string): void;
}

interface Progress {
  update(text: string): void;
  stop(): void;
}

/** Short work prints no progress lines: only work still running after this long does. */
const PROGRESS_LINES_AFTER_MS = 2000;

export interface OutputOptions {
  json: boolean;
  /** false for --no-color. */
  color: boolean;
  /** "color" in the per-user config, below NO_COLOR and FORCE_COLOR. */
  userColor?: 'auto' | 'always' | 'never';
  stdout?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env?: NodeJS.ProcessEnv;
  /** When plain progress lines start (tests pass 0). */
  progressLinesAfterMs?: number;
}

/**
 * Who decided whether there is colour, highest first: the --no-color flag, then NO_COLOR or
 * FORCE_COLOR, then "color" in the per-user config, then the default ("auto": a terminal gets
 * colours). `tmc-orch config` shows it.
 */
export type ColorSetting =
  | { choice: 'never'; source: 'flag'; from: '--no-color' }
  | { choice: 'never' | 'always'; source: 'env'; from: 'NO_COLOR' | 'FORCE_COLOR' }
  | { choice: 'never' | 'always' | 'auto'; source: 'user' }
  | { choice: 'auto'; source: 'default' };

export function colorSetting(options: Omit<OutputOptions, 'json'>): ColorSetting {
  const env = options.env ?? process.env;
  if (!options.color) return { choice: 'never', source: 'flag', from: '--no-color' };
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
    return { choice: 'never', source: 'env', from: 'NO_COLOR' };
  }
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    const choice = force === '0' || force === 'false' ? 'never' : 'always';
    return { choice, source: 'env', from: 'FORCE_COLOR' };
  }
  if (options.userColor) return { choice: options.userColor, source: 'user' };
  return { choice: 'auto', source: 'default' };
}

/** chalk ignores NO_COLOR by itself; decide the level here, in one place. */
export function colorLevel(options: OutputOptions): 0 | 1 | 2 | 3 {
  if (options.json) return 0;
  const setting = colorSetting(options);
  if (setting.choice === 'never') return 0;
  if (setting.choice === 'always') {
    const force = setting.source === 'env' ? (options.env ?? process.env).FORCE_COLOR : undefined;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  const env = options.env ?? process.env;
  // A dumb terminal shows colour codes as garbage.
  if (env.TERM === 'dumb') return 0;
  const stream = options.stdout ?? process.stdout;
  return stream.isTTY ? 1 : 0;
}

/**
 * How progress is shown. A spinner needs a terminal whose width is known: ora redraws by counting
 * lines against the width, and with 0 columns (a pty without a size: `script`, `docker exec -t`,
 * some agent harnesses) it loops forever writing. CI logs and dumb terminals keep plain lines.
 */
export function progressMode(options: OutputOptions): 'spinner' | 'lines' | 'none' {
  if (options.json) return 'none';
  const env = options.env ?? process.env;
  const stderr = options.stderr ?? process.stderr;
  const width = stderr.columns ?? 0;
  if (stderr.isTTY && width > 0 && !env.CI && env.TERM !== 'dumb') return 'spinner';
  return 'lines';
}

const noProgress: Progress = { update() {}, stop() {} };

/**
 * Plain progress lines: none while the work is short; once it has run `after` ms, the current
 * step, then every new step as it comes.
 */
function progressLines(text: string, after: number, write: (text: string) => void): Progress {
  let current = text;
  let printed: string | null = null;
  let started = after <= 0;
  const print = () => {
    if (current !== printed) write(current);
    printed = current;
  };
  if (started) print();
  const timer = started
    ? undefined
    : setTimeout(() => {
        started = true;
        print();
      }, after);
  // Progress never keeps the process alive.
  timer?.unref();
  return {
    update(next) {
      current = next;
      if (started) print();
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

/** Collects what is written, keeping the terminal's traits so a frame renders as it will show. */
function collector(like: { isTTY?: boolean; columns?: number }): {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  text(): string;
} {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  if (like.isTTY) stream.isTTY = true;
  if (like.columns) stream.columns = like.columns;
  return { stream, text: () => text };
}

/**
 * Whether a stream's reader went away: its EPIPE (see broken-pipe.ts) leaves it unwritable.
 * process.stdout is never destroyed, so `destroyed` cannot tell.
 */
function readerGone(stream: NodeJS.WritableStream): boolean {
  return (stream as Partial<Writable>).writable === false;
}

// The alternate screen (the normal one, with the user's scrollback, comes back on close), cursor
// hidden and line wrapping off while drawing (a line wider than the screen is cut, so one line of
// a frame is one row), home and clear to the end of the screen for each frame.
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[?7l';
const LEAVE = '\x1b[?7h\x1b[?25h\x1b[?1049l';
const HOME_CLEAR = '\x1b[H\x1b[J';

/**
 * A frame as a screen of `rows` rows shows it in place: at most `rows` lines, the last without a
 * line break (one there would scroll the top line away). A taller frame keeps its top, where the
 * header and the first worktrees are, and says how much is left out.
 */
export function fitFrame(frame: string, rows: number | undefined): string {
  const lines = frame.replace(/\n$/, '').split('\n');
  if (rows && rows > 0 && lines.length > rows) {
    const hidden = lines.length - rows + 1;
    lines.length = rows - 1;
    lines.push(`… ${hidden} more line${hidden === 1 ? '' : 's'}: make the terminal taller`);
  }
  return lines.join('\n');
}

export function createOutput(options: OutputOptions): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const styler = createStyler(colorLevel(options));
  const color = styler.palette;
  const mode = progressMode(options);
  const linesAfter = options.progressLinesAfterMs ?? PROGRESS_LINES_AFTER_MS;
  const line = (text = '') => {
    if (!options.json) stdout.write(`${styler.render(text)}\n`);
  };
  const info = (text: string) => {
    if (!options.json) stderr.write(`${styler.render(text)}\n`);
  };
  return {
    json: options.json,
    color,
    colorSetting: colorSetting(options),
    line,
    async table(rows, columns) {
      const maxWidth = stdout.isTTY && stdout.columns ? stdout.columns : undefined;
      const texts = rows.flatMap((row) => columns.map((c) => c.value(row)));
      const plain = [...texts, ...columns.map((c) => c.header)].every(styler.plain);
      const measure = plain ? asciiMeasure : (await import('./width.js')).unicodeMeasure;
      const options = { styler, measure, ...(maxWidth ? { maxWidth } : {}) };
      for (const row of renderTable(rows, columns, options)) line(row);
    },
    info,
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
    capture() {
      const buffer = collector(stdout);
      const out = createOutput({ ...options, stdout: buffer.stream, stderr: buffer.stream });
      return { out, text: buffer.text };
    },
    screen() {
      const env = options.env ?? process.env;
      if (options.json || !stdout.isTTY || env.TERM === 'dumb') {
        let first = true;
        return {
          live: false,
          get gone() {
            return readerGone(stdout);
          },
          draw(frame) {
            if (!options.json) stdout.write(`${first ? '' : '\n'}${frame}`);
            first = false;
          },
          close() {},
        };
      }
      let open = true;
      stdout.write(ENTER);
      return {
        live: true,
        get gone() {
          return readerGone(stdout);
        },
        draw(frame) {
          if (open) stdout.write(HOME_CLEAR + fitFrame(frame, stdout.rows));
        },
        close(last) {
          if (open) stdout.write(LEAVE + (last ?? ''));
          open = false;
        },
      };
    },
    progress(text) {
      if (mode === 'none') return noProgress;
      if (mode === 'lines') return progressLines(text, linesAfter, info);
      // ora is loaded only when a spinner is shown: importing it costs ~35 ms on every start-up,
      // the pre-push hook's included.
      let spinner: Ora | undefined;
      let current = styler.render(text);
      let stopped = false;
      void import('ora').then(({ default: ora }) => {
        if (stopped) return;
        // discardStdin: false: ora would put the terminal in raw mode, and a process in the
        // background process group (timeout N tmc-orch …) is stopped by SIGTTOU for it.
        spinner = ora({ text: current, stream: stderr, color: 'cyan', discardStdin: false });
        spinner.start();
      });
      return {
        update(next) {
          current = styler.render(next);
          if (spinner) spinner.text = current;
        },
        stop() {
          stopped = true;
          spinner?.stop();
        },
      };
    },
  };
}
