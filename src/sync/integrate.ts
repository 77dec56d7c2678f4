import path from 'node:path';
import {
  filesInPlaceOfFolders,
  indexPaths,
  mergeInto,
  pathsChangedIn,
  rebaseOnto,
  treeDiffPaths,
  type GitResult,
} from '../git/index.js';
import { snapshotWorktree } from '../git/snapshot.js';
import { removeMarker, SYNC_OUTPUT, writeMarker, type SyncMarker } from './marker.js';
import { byHand, writeRecord, type SyncTarget } from './restack.js';
import { settle, type Settled } from './settle.js';
import { conflicted, failed, updated } from './result.js';
import type { SyncContext, SyncResult, SyncResultBase, SyncStrategy } from './types.js';
import { shortId, shortList } from '../ui/format.js';

/**
 * The rebase or merge itself, and what it left: finished, undone after a stop, or left for the
 * user. A sync killed meanwhile is finished or undone by the next one (recover).
 */

/**
 * Runs the rebase or merge, recorded in a marker so that a sync killed meanwhile is finished or
 * undone by the next one, then settles what git left.
 */
export async function integrate(
  cwd: string,
  gitDir: string,
  branch: string,
  head: string,
  common: SyncResultBase,
  target: SyncTarget,
  ctx: SyncContext,
): Promise<SyncResult> {
  // A rebase also writes the paths of every commit it replays, not only the end result.
  const [ends, replayed] = await Promise.all([
    treeDiffPaths(cwd, head, target.commit),
    ctx.strategy === 'rebase' ? pathsChangedIn(cwd, target.upstream ?? target.commit, head) : [],
  ]);
  const touched = [...new Set([...ends, ...replayed])];
  const before = await snapshotWorktree(cwd, touched);
  // git refuses to overwrite untracked files but silently overwrites ignored ones (and an abort
  // then deletes them): anything on disk in the way is a reason not to start.
  const tracked = indexPaths(before.index);
  const inTheWay = [
    ...touched.filter((p) => !tracked.has(p) && before.files.get(p) !== 'missing'),
    ...(await filesInPlaceOfFolders(cwd, touched, tracked)),
  ];
  if (inTheWay.length > 0) {
    return failed(
      common,
      `untracked or ignored files would be overwritten by ${target.name}: ${shortList(inTheWay)}; move them away and sync again (nothing was changed)`,
      { after: head },
    );
  }

  const marker: SyncMarker = {
    operation: ctx.strategy,
    branch,
    before: head,
    target: target.commit,
    upstream: ctx.strategy === 'rebase' ? target.upstream : null,
    record: target.record,
    pid: process.pid,
    gitPid: null,
    started: new Date().toISOString(),
  };
  await writeMarker(gitDir, marker);
  const run = {
    outputFile: path.join(gitDir, SYNC_OUTPUT),
    onSpawn: (pid: number) => writeMarker(gitDir, { ...marker, gitPid: pid }),
  };
  const git =
    ctx.strategy === 'rebase'
      ? await rebaseOnto(cwd, target.commit, run, marker.upstream)
      : await mergeInto(cwd, target.commit, run);
  const settled = await settle(cwd, gitDir, marker, git.stderr);
  // The record before the marker goes: a sync killed in between writes it on its next run.
  if (settled.kind === 'completed' && settled.missing.length === 0) {
    await writeRecord(cwd, branch, marker.record);
  }
  if (settled.kind !== 'left') await removeMarker(gitDir);
  return settledResult(
    settled,
    common,
    cwd,
    ctx.strategy,
    target.name,
    gitMessage(git),
    byHand(ctx.strategy, target),
  );
}

/** git's first lines of output, which say why it stopped (and list the files). */
function gitMessage(run: GitResult): string {
  return (
    (run.stderr || run.stdout)
      .split(/[\r\n]+/)
      .map((l) => l.trim())
      .filter(
        (l) =>
          l !== '' && !/^(hint|Aborting|Please (move|commit)|Rebasing \(|Auto-merging)/i.test(l),
      )
      .slice(0, 4)
      .join(' ') || `exit ${run.exitCode}`
  );
}

/**
 * The result of what a sync's own operation came to: updated only when it finished with every
 * change of the branch; otherwise what happened and the next step, the worktree as before
 * unless `left` says otherwise. `resolve`: the git command that redoes it by hand.
 */
export function settledResult(
  settled: Settled,
  common: SyncResultBase,
  cwd: string,
  strategy: SyncStrategy,
  base: string,
  message: string,
  resolve = `${strategy} ${base}`,
): SyncResult {
  const git = `git -C ${cwd}`;
  switch (settled.kind) {
    case 'completed':
      if (settled.missing.length > 0) {
        return failed(
          common,
          `the ${strategy} onto ${base} finished, but the result lacks changes of the branch in ${shortList(settled.missing)}; the branch before it is ${shortId(settled.old)} (also in git reflog): go back with ${git} reset --keep ${settled.old}`,
          { after: settled.head },
        );
      }
      return updated(common, settled.head);
    case 'undone': {
      const kept =
        settled.kept.length > 0
          ? ` Files changed during the sync were kept as they are (uncommitted changes now): ${shortList(settled.kept)}.`
          : '';
      if (settled.problems.length > 0) {
        return failed(
          common,
          `git stopped the ${strategy} (${message}); undoing it left problems: ${settled.problems.join('; ')}. Inspect with ${git} status and git reflog.${kept}`,
          { conflicts: settled.conflicts },
        );
      }
      if (settled.conflicts.length > 0) {
        return conflicted(
          common,
          settled.conflicts,
          `conflicts with ${base}; aborted, the branch and its files are as before.${kept} Resolve by hand: ${git} ${resolve}`,
          null,
        );
      }
      return failed(
        common,
        `git stopped the ${strategy} (${message}); undone, the branch and its files are as before.${kept} Sync again`,
      );
    }
    case 'untouched':
      return failed(
        common,
        `git ${strategy} failed: ${message}; nothing was synced, the branch is where it was`,
      );
    case 'left':
      return failed(
        common,
        `git stopped the ${strategy} (${message}) and it is left in progress: ${settled.reason}`,
        { operation: settled.operation },
      );
    case 'foreign':
      return failed(common, `git ${strategy} failed: ${message}; ${settled.reason}`);
  }
}

/**
 * Finishes what an earlier sync left (see SyncMarker): its undo, or the check of an operation
 * that ended after the sync was killed. `done` is the result when the user must act first; with
 * null the sync goes on, and `note` says what was found.
 */
export async function recover(
  cwd: string,
  gitDir: string,
  marker: SyncMarker,
  common: SyncResultBase,
): Promise<{ done: SyncResult | null; note: string }> {
  const settled = await settle(cwd, gitDir, marker, '');
  const what = `a ${marker.operation} started by an earlier tmc-orch sync (from ${shortId(marker.before)} onto ${shortId(marker.target)})`;
  // As in integrate: the stack record it was to write, before its marker goes.
  if (settled.kind === 'completed' && settled.missing.length === 0) {
    await writeRecord(cwd, marker.branch, marker.record);
  }
  if (settled.kind !== 'left') await removeMarker(gitDir);
  switch (settled.kind) {
    case 'completed':
      if (settled.missing.length > 0) {
        return {
          done: settledResult(settled, common, cwd, marker.operation, shortId(marker.target), ''),
          note: `${what} had finished`,
        };
      }
      return { done: null, note: `${what} had finished; checked: no change of the branch lost` };
    case 'undone':
      if (settled.problems.length > 0) {
        return {
          done: settledResult(
            settled,
            common,
            cwd,
            marker.operation,
            shortId(marker.target),
            'left stopped',
          ),
          note: `${what} was left stopped`,
        };
      }
      return {
        done: null,
        note: `${what} was left stopped; undone${settled.kept.length > 0 ? `, keeping the files changed meanwhile: ${shortList(settled.kept)}` : ''}`,
      };
    case 'untouched':
      return { done: null, note: `${what} had not changed anything` };
    case 'left':
      return {
        done: failed(common, `${what} is stopped, and left as it is: ${settled.reason}`, {
          operation: settled.operation,
        }),
        note: `${what} is stopped`,
      };
    case 'foreign':
      return { done: null, note: `${what} is over (${settled.reason})` };
  }
}
