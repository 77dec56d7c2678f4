import { ClaimedError, UsageError } from '../errors.js';
import { appendLog } from '../log/append.js';
import type { Repo } from '../repo.js';
import { formatTime } from '../ui/format.js';
import type { WorktreeInfo } from '../worktrees/lookup.js';
import type { Claim } from './record.js';

/** What claims say: the refusals, with the next command to run, and the status-log entries. */

function describe(claim: Claim, now: Date): string {
  const task = claim.task ? ` (task: ${claim.task})` : '';
  const what = claim.removing ? 'being removed by' : 'claimed by';
  return `${what} ${claim.agent} since ${formatTime(claim.since, now)}${task}`;
}

export function claimedError(claim: Claim, now: Date, next: string): ClaimedError {
  const staleNote = claim.stale
    ? `; it is stale (no heartbeat since ${formatTime(claim.heartbeat, now)})`
    : '';
  return new ClaimedError(
    `worktree "${claim.worktree}" is ${describe(claim, now)}${staleNote}; ${next}`,
    { claim },
  );
}

export function claimRefusal(
  why: 'held' | 'removing' | 'own-removal' | 'changed',
  claim: Claim,
  name: string,
  now: Date,
): ClaimedError {
  switch (why) {
    case 'changed':
      return claimedError(
        claim,
        now,
        'it changed while you were taking it over, so nothing was done; run tmc-orch claims and decide again',
      );
    case 'own-removal':
      return claimedError(
        claim,
        now,
        `if that removal was killed, finish it with tmc-orch worktree remove ${name}, or keep the worktree: tmc-orch release ${name}`,
      );
    case 'removing':
      return claimedError(
        claim,
        now,
        claim.stale
          ? `if that removal was killed, take the worktree over: tmc-orch claim ${name} --steal-stale`
          : 'wait for the removal to end, then see tmc-orch worktree list',
      );
    case 'held':
      return claimedError(
        claim,
        now,
        claim.stale
          ? `ask them, or take it over: tmc-orch claim ${name} --steal-stale`
          : `ask them, or take it over anyway: tmc-orch claim ${name} --force`,
      );
  }
}

export function unidentifiedError(wt: WorktreeInfo): UsageError {
  return new UsageError(
    `git's record of worktree ${wt.name} (${wt.path}) cannot be read; run git worktree repair ${wt.path}, then retry`,
  );
}

/** Writes a log entry; a full disk or missing shared folder must not undo a claim. */
export async function logQuietly(
  repo: Repo,
  agent: string,
  worktree: string,
  message: string,
  warnings: string[],
  now: Date,
): Promise<void> {
  try {
    const input = { agent, worktree, message, source: 'tmc-orch' as const };
    const entry = await appendLog(repo, input, now);
    if (repo.config.coordination === 'remote') {
      const { shareQuietly, stampOf } = await import('../remote/log.js');
      await shareQuietly(repo, [{ input, time: stampOf(entry.time) }], warnings);
    }
  } catch (error) {
    warnings.push(`could not write the status log: ${(error as Error).message}`);
  }
}
