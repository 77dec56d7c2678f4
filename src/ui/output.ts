import { Chalk, type ChalkInstance } from 'chalk';
import type { Ora } from 'ora';

/** How a command talks to the user: data to stdout, everything else to stderr. */
export interface Output {
  readonly json: boolean;
  readonly color: ChalkInstance;
  /** A line of human output on stdout (suppressed in --json mode). */
  line(text?: string): void;
  /** Progress, warnings and hints on stderr (suppressed in --json mode). */
  info(text: string): void;
  warn(text: string): void;
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
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
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
  const stream = options.stdout ?? process.stdout;
  return stream.isTTY ? 1 : 0;
}

const noopSpinner: Spinner = { update() {}, stop() {} };

export function createOutput(options: OutputOptions): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const color = new Chalk({ level: colorLevel(options) });
  const spinnersAllowed = !options.json && Boolean(stderr.isTTY) && !env.CI;
  return {
    json: options.json,
    color,
    line(text = '') {
      if (!options.json) stdout.write(`${text}\n`);
    },
    info(text) {
      if (!options.json) stderr.write(`${text}\n`);
    },
    warn(text) {
      if (!options.json) stderr.write(`${color.yellow('warning:')} ${text}\n`);
    },
    data(value) {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
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
