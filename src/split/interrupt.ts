/**
 * Ctrl-C (SIGINT) and SIGTERM during `split --apply`. Without a handler node dies at once, as
 * with SIGKILL, and leaves the branches, records, worktrees and claims made so far. While this
 * watch is on, a signal is only noted: the run stops at its next step (the git command under way
 * ends first, or fails when the signal reached it too, as Ctrl-C reaches the whole foreground
 * process group), takes back what it made (take-back.ts), and ends with InterruptedError (exit
 * 130 or 143; see apply.ts). A second signal meanwhile ends the process at once: asked twice, the user wants
 * out now, and what is left is named by the next split --apply.
 */

export type Signal = 'SIGINT' | 'SIGTERM';

export interface InterruptWatch {
  /** The first signal that came, or null. */
  readonly signal: Signal | null;
  /** Ends the watch: signals act as before. */
  stop(): void;
}

/** Starts watching; `onSignal` is told of the first signal (to say what happens now). */
export function watchInterrupts(onSignal?: (signal: Signal) => void): InterruptWatch {
  let signal: Signal | null = null;
  const handlers = {
    SIGINT: () => noted('SIGINT'),
    SIGTERM: () => noted('SIGTERM'),
  };
  const stop = () => {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  };
  function noted(received: Signal): void {
    if (signal !== null) {
      // The second: die of it, as without a handler.
      stop();
      process.kill(process.pid, received);
      return;
    }
    signal = received;
    onSignal?.(received);
  }
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  return {
    get signal() {
      return signal;
    },
    stop,
  };
}
