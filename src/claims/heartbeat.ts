import path from 'node:path';
import { ExitCode, TmcError } from '../errors.js';
import { refMayExist } from '../git/index.js';
import type { Repo } from '../repo.js';
import type { Clock } from '../util/clock.js';
import { claimRef } from './ref-store.js';

/**
 * The heartbeat policy, applied after every command (src/cli/action.ts): every command the owner
 * of a claimed worktree runs there renews the claim's heartbeat, a refused one included (a gate
 * over the limit, a claim refused: the owner is alive); bad input changes nothing on disk, the
 * heartbeat included. Never fails the command: outside a repository, or when git fails, the
 * command's own result stands.
 */
export async function heartbeatAfter(
  failure: unknown,
  repo: () => Promise<Repo>,
  agent: string,
  clock: Clock,
  warn: (text: string) => void = () => undefined,
): Promise<void> {
  if (failure instanceof TmcError && failure.exitCode === ExitCode.usage) return;
  try {
    const opened = await repo();
    // Most runs of lines, check and the hook: no claim here, and no more code to load.
    if (!(await refMayExist(opened.commonDir, claimRef(path.basename(opened.toplevel))))) return;
    const { renewHeartbeat } = await import('./renew.js');
    await renewHeartbeat(opened, agent, clock(), warn);
  } catch {
    // Outside a repository, or git failed: the command's own result stands.
  }
}
