import type { Output } from './output.js';

/**
 * `status --watch`: one frame, a wait, the next frame, until SIGINT or SIGTERM, or until the
 * reader of its output has gone (`| head`). A frame is rendered whole into a buffer and then
 * drawn (in place on a terminal), so the screen never shows half a table. The wait counts from
 * the start of a frame: at most one status per interval, never two back to back when one is slow. Stdin is never read: Ctrl-C stays the terminal's.
 */

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
      const wait = Math.max(0, options.intervalMs - (Date.now() - started));
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
