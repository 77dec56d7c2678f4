/**
 * `tmc-orch log show --all | head -1`: once the reader has gone, writing to stdout fails with
 * EPIPE, which Node reports as an unhandled 'error' event (a stack, exit 1). A broken pipe is no
 * error of ours: further output is dropped, the command finishes what it was doing (a sync is
 * never abandoned halfway because nobody reads its report), and the process exits with the status
 * a shell shows for a writer killed by SIGPIPE.
 */

export const BROKEN_PIPE_EXIT = 128 + 13;

/** Calls `broken` once when either stream's reader has gone; other stream errors still throw. */
export function onBrokenPipe(streams: readonly NodeJS.WritableStream[], broken: () => void): void {
  let seen = false;
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      // Writes after the first EPIPE fail as writes to a destroyed stream.
      if (error.code === 'EPIPE' || (seen && error.code === 'ERR_STREAM_DESTROYED')) {
        if (!seen) broken();
        seen = true;
        return;
      }
      throw error;
    });
  }
}
