import type { Output } from './output.js';

/**
 * `status --watch`: one frame, a wait, the next frame, until SIGINT or SIGTERM, or until the
 * reader of its output has gone (`| head`). A frame is rendered whole into a buffer and then
 * drawn (in place on a terminal), so the screen never shows half a table. Stdin is never read:
 * Ctrl-C stays the terminal's.
 */

/**
 * How long to wait after a frame that took `elapsedMs`: the rest of the interval (at most one
 * status per interval), and never less than the frame took, so that a slow status (a big
 * repository, a slow --fetch) never runs back to back: the watch is busy half the time at most.
 */
export function waitAfterFrame(intervalMs: number, elapsedMs: number): number {
  return Math.max(intervalMs - elapsedMs, elapsedMs);
}

export interface WatchOptions {
  intervalMs: number;
  out: Output;
  now: () => Date;
  /** Renders one frame into `into`. */
  frame(into: Output): Promise<void>;
  /** The header's command line, e.g. "tmc-orch status". */
  title: string;
}

export async function watch(options: WatchOptions): Promise<void> {
  const { out } = options;
  const screen = out.screen();
  let stopped = false;
  let wake = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let last = '';
  try {
    while (!stopped) {
      const started = Date.now();
      const buffer = out.capture();
      const time = options.now().toTimeString().slice(0, 8);
      const every = `${options.intervalMs / 1000}s`;
      // The buffer's own palette: a colour is a marker only the output that made it renders.
      const header = `every ${every}: ${options.title}  ${time}  (Ctrl-C stops)`;
      buffer.out.line(buffer.out.color.dim(header));
      buffer.out.line();
      try {
        await options.frame(buffer.out);
      } catch (error) {
        // Ctrl-C reaches the git processes of the frame too: that frame is not shown.
        if (stopped) break;
        buffer.out.error(
          `status failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (stopped) break;
      last = buffer.text();
      screen.draw(last);
      // Nobody reads any more (status --watch | head): the next frames would go nowhere.
      if (screen.gone) break;
      const wait = waitAfterFrame(options.intervalMs, Date.now() - started);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    screen.close(last);
  }
}
