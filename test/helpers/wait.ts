import { existsSync, readFileSync } from 'node:fs';

/**
 * Resolves once `condition` holds, looking every 50 ms; fails naming `what` after `ms`. For a
 * test waiting on another process (a file it makes, a state it reaches), never on a clock.
 */
export async function waitFor(
  condition: () => boolean,
  what = 'the condition',
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether the process runs: a zombie (killed, never reaped by a container's init) does not. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !existsSync(stat) || !/^\d+ \(.*\) Z /.test(readFileSync(stat, 'utf8'));
}
