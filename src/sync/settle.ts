import {
  attachHead,
  headBranch,
  headCommit,
  isAncestor,
  operationHint,
  operationInProgress,
  readOperationHead,
  readRebaseState,
  resetIndexTo,
  resolveCommit,
  type OperationKind,
} from '../git/index.js';
import { missingAfterRebase } from './forecast.js';
import type { SyncMarker } from './marker.js';
import { undoStopped } from './undo.js';
import { shortId } from '../ui/format.js';

/** What a sync's rebase or merge left, once git has exited (or its sync was killed). */
export type Settled =
  /** It finished; `missing` lists files where the result lacks changes of the branch. */
  | { kind: 'completed'; head: string; old: string; missing: string[] }
  /** git stopped and the operation was undone (see undoStopped). */
  | { kind: 'undone'; conflicts: string[]; kept: string[]; problems: string[] }
  /** Nothing happened: git refused to start, or the operation was already undone. */
  | { kind: 'untouched' }
  /** git stopped and the operation is left for the user, who must do what `reason` says. */
  | { kind: 'left'; operation: OperationKind; reason: string }
  /** What is there is not this sync's doing (someone else's operation, or work since). */
  | { kind: 'foreign'; reason: string };

export async function settle(
  cwd: string,
  gitDir: string,
  marker: SyncMarker,
  gitOutput: string,
): Promise<Settled> {
  const operation = await operationInProgress(gitDir);
  if (operation) {
    const someoneElses =
      operation !== marker.operation ||
      /already a rebase-(merge|apply) directory|not concluded your merge|MERGE_HEAD exists/i.test(
        gitOutput,
      ) ||
      !(await isOurs(gitDir, marker));
    if (someoneElses) {
      return {
        kind: 'foreign',
        reason: `a ${operation} that tmc-orch did not start is in progress; ${operationHint(operation, cwd)}, then sync again`,
      };
    }
    const undo = await undoStopped(cwd, gitDir, marker.operation, marker.branch);
    if (undo.status === 'left') return { kind: 'left', operation, reason: undo.reason };
    return { kind: 'undone', conflicts: undo.conflicts, kept: undo.kept, problems: undo.problems };
  }
  const [branch, head] = await Promise.all([headBranch(gitDir), headCommit(cwd)]);
  if (branch === null && head !== null) {
    // A sync killed while undoing a rebase, after its files were put back and the rebase ended
    // (--quit), HEAD still detached where git stopped: finish the undo (no file touched).
    const tip = await resolveCommit(cwd, `refs/heads/${marker.branch}`);
    const wasOurs = head === marker.before || (await isAncestor(cwd, marker.target, head));
    if (tip === marker.before && wasOurs) {
      await resetIndexTo(cwd, marker.before);
      await attachHead(
        cwd,
        marker.branch,
        `tmc-orch sync: undo the ${marker.operation} of ${marker.branch}`,
      );
      return { kind: 'untouched' };
    }
  }
  if (branch !== marker.branch || head === null) {
    return {
      kind: 'foreign',
      reason: `HEAD is ${branch ? `on ${branch}` : `detached at ${head ? shortId(head) : 'nothing'}`}, not on ${marker.branch}`,
    };
  }
  if (head === marker.before) return { kind: 'untouched' };
  // Finished: the branch holds the target (and, for a merge, the commit it started from).
  const finished =
    (await isAncestor(cwd, marker.target, head)) &&
    (marker.operation === 'rebase' || (await isAncestor(cwd, marker.before, head)));
  if (!finished) return { kind: 'foreign', reason: `${marker.branch} moved on since` };
  const old = marker.before;
  const missing =
    marker.operation === 'rebase'
      ? await missingAfterRebase(cwd, marker.before, head, marker.upstream)
      : [];
  return { kind: 'completed', head, old, missing };
}

/** Whether the operation in progress is the one the marker records (never someone else's). */
async function isOurs(gitDir: string, marker: SyncMarker): Promise<boolean> {
  if (marker.operation === 'merge') {
    return (await readOperationHead(gitDir, 'MERGE_HEAD')) === marker.target;
  }
  const state = await readRebaseState(gitDir);
  return state?.headName === `refs/heads/${marker.branch}` && state.onto === marker.target;
}
