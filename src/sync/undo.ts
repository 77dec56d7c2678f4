import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import {
  attachHead,
  checkoutPaths,
  commitsBetween,
  conflictOutput,
  headBranch,
  headCommit,
  indexEntries,
  mergeTrees,
  operationInProgress,
  pathOids,
  pathsModified,
  pathsStagedAgainst,
  quitOperation,
  readObjects,
  readOperationHead,
  readRebaseState,
  resetIndexTo,
  resolveCommit,
  scratchCommit,
  treeOf,
  unmergedFiles,
  type MergeTreeResult,
} from '../git/index.js';
import { classifyPath, type OnDisk } from './undo-decision.js';
import { shortId } from '../ui/format.js';

/**
 * Undoes a rebase or merge that tmc-orch sync started and git stopped (a conflict, or a file
 * changed while it ran), without destroying anything changed meanwhile. `git rebase --abort` and
 * `git merge --abort` would reset every tracked file, and with it whatever an editor saved or an
 * agent wrote during the sync.
 *
 * The only paths to put back are those whose index entry differs from the commit to return to
 * (the rest git never wrote). Each of them is put back only if what is on disk is provably git's:
 * the file matches an index entry git wrote (the commit it stopped on, or the pick or merge it
 * was making), or a conflicted file holds exactly git's conflict output. Anything else is someone
 * else's and stays on disk as it is, as an uncommitted change. Then the operation is ended with
 * `--quit` (no file touched), HEAD and the index are set back (`reset --mixed`, no file touched)
 * and HEAD reattached to the branch. Files are written before the operation's state is removed,
 * so a sync killed half-way leaves a state the next sync can undo the same way.
 *
 * Left stopped, with what to do, only when undoing would lose a commit: one made on the rebase's
 * detached HEAD during the sync, or the branch moved meanwhile.
 */

export type UndoOutcome =
  | {
      status: 'undone';
      /** The commit HEAD and the branch are back at. */
      head: string;
      /** Paths git stopped on with conflicts. */
      conflicts: string[];
      /** Files changed during the sync, left as they are (uncommitted changes now). */
      kept: string[];
      /** What did not come back as it should (empty when all is well). */
      problems: string[];
    }
  | { status: 'left'; reason: string };

export async function undoStopped(
  cwd: string,
  gitDir: string,
  kind: 'rebase' | 'merge',
  branch: string,
): Promise<UndoOutcome> {
  const git = `git -C ${cwd}`;
  const head = await headCommit(cwd);
  if (head === null) return { status: 'left', reason: 'HEAD names no commit' };
  let target: string;
  let expected: MergeTreeResult | null = null;
  /** The commit git was bringing in when it stopped (its files are git's to write). */
  let incoming: string | null;
  if (kind === 'rebase') {
    const state = await readRebaseState(gitDir);
    if (!state) return { status: 'left', reason: 'no rebase is in progress' };
    if (state.headName !== `refs/heads/${branch}`) {
      return {
        status: 'left',
        reason: `the rebase in progress is of ${state.headName ?? 'a detached HEAD'}, not of ${branch}`,
      };
    }
    target = state.origHead;
    const made = new Set([state.onto, ...state.rewritten]);
    // Commits on HEAD that are neither the base, the branch's own, nor made by the rebase.
    const foreign = (await commitsBetween(cwd, [state.onto, state.origHead], head)).filter(
      (c) => !made.has(c),
    );
    if (foreign.length > 0) {
      return {
        status: 'left',
        reason: `commit ${foreign.map((c) => shortId(c)).join(', ')} was made on the rebase's detached HEAD during the sync, and undoing the rebase would drop it; finish the rebase (${git} rebase --continue keeps it), or save it (${git} branch rescue ${foreign[0] ?? ''}) and undo with ${git} rebase --abort after saving your changes`,
      };
    }
    incoming = await readOperationHead(gitDir, 'REBASE_HEAD');
    expected = incoming ? await expectedPick(cwd, incoming, head) : null;
  } else {
    target = head;
    incoming = await readOperationHead(gitDir, 'MERGE_HEAD');
    if (incoming) expected = await mergeTrees(cwd, head, incoming).catch(ignoreOldGit);
  }
  const branchTip = await resolveCommit(cwd, `refs/heads/${branch}`);
  if (branchTip !== target) {
    return {
      status: 'left',
      reason: `the branch ${branch} moved during the sync (to ${branchTip ? shortId(branchTip) : 'nothing'}; it was ${shortId(target)})`,
    };
  }

  const conflicts = await unmergedFiles(cwd);
  const paths = await pathsStagedAgainst(cwd, target);
  const none = new Map<string, string>();
  const [index, modified, headOids, incomingOids, expectedOids, targetContents] = await Promise.all(
    [
      indexEntries(cwd, paths),
      pathsModified(cwd).then((p) => new Set(p)),
      pathOids(cwd, head, paths),
      incoming ? pathOids(cwd, incoming, paths) : none,
      expected ? pathOids(cwd, expected.tree, paths) : none,
      readObjects(
        cwd,
        paths.map((p) => `${target}:${p}`),
      ),
    ],
  );
  const conflicted = paths.filter((p) => (index.get(p) ?? []).some((e) => e.stage > 0));
  const conflictContents = await readObjects(cwd, [
    ...(expected ? conflicted.map((p) => `${expected.tree}:${p}`) : []),
    ...conflicted.flatMap((p) => (index.get(p) ?? []).map((e) => e.oid)),
  ]);

  const restore: string[] = [];
  const kept: string[] = [];
  for (const file of paths) {
    const entries = index.get(file) ?? [];
    const gitOids = new Set(
      [headOids.get(file), incomingOids.get(file), expectedOids.get(file)].filter(
        (o): o is string => o !== undefined,
      ),
    );
    const stage = (n: number) => {
      const entry = entries.find((e) => e.stage === n);
      return entry ? (conflictContents.get(entry.oid) ?? null) : null;
    };
    const [base, ours, theirs] = [stage(1), stage(2), stage(3)];
    const decision = classifyPath({
      worktree: await readWorktreeFile(cwd, file),
      target: targetContents.get(`${target}:${file}`) ?? null,
      index: entries,
      modified: modified.has(file),
      gitOids,
      conflictOutputs: [
        expected ? (conflictContents.get(`${expected.tree}:${file}`) ?? null) : null,
        // Made again from the stages, when merge-tree could not say (git before 2.38).
        ours && theirs && !expected ? await conflictOutput(cwd, { base, ours, theirs }) : null,
        ours,
        theirs,
      ].filter((b): b is Buffer => b !== null),
    });
    if (decision === 'git') restore.push(file);
    else if (decision === 'keep') kept.push(file);
  }

  const inTarget = await pathOids(cwd, target, restore);
  await checkoutPaths(
    cwd,
    target,
    restore.filter((p) => inTarget.has(p) || index.has(p)),
  );
  await quitOperation(cwd, kind);
  await resetIndexTo(cwd, target);
  if (kind === 'rebase')
    await attachHead(cwd, branch, `tmc-orch sync: undo the rebase of ${branch}`);

  const problems: string[] = [];
  const [nowBranch, nowHead, operation, staged, changed] = await Promise.all([
    headBranch(gitDir),
    headCommit(cwd),
    operationInProgress(gitDir),
    pathsStagedAgainst(cwd, target),
    pathsModified(cwd),
  ]);
  if (nowBranch !== branch) problems.push(`HEAD is not on ${branch}`);
  if (nowHead !== target) problems.push(`HEAD is at ${nowHead ?? 'nothing'}, not ${target}`);
  if (operation) problems.push(`a ${operation} is still in progress`);
  if (staged.length > 0)
    problems.push(`the index differs from ${shortId(target)} in ${staged.join(', ')}`);
  const notBack = restore.filter((p) => changed.includes(p));
  if (notBack.length > 0) problems.push(`${notBack.join(', ')} did not come back`);
  return {
    status: 'undone',
    head: target,
    conflicts,
    kept: [...new Set([...kept, ...changed.filter((p) => !restore.includes(p))])].sort(),
    problems,
  };
}

/** What git was writing when the rebase stopped at `picked`: that pick, made in objects. */
async function expectedPick(
  cwd: string,
  picked: string,
  head: string,
): Promise<MergeTreeResult | null> {
  const parent = await resolveCommit(cwd, `${picked}^`);
  if (!parent) return null;
  return mergeTrees(cwd, await scratchCommit(cwd, await treeOf(cwd, head), parent), picked).catch(
    ignoreOldGit,
  );
}

function ignoreOldGit(error: unknown): null {
  if (error instanceof UsageError) return null;
  throw error;
}

async function readWorktreeFile(cwd: string, file: string): Promise<OnDisk> {
  const full = path.join(cwd, file);
  const info = await lstat(full).catch(() => null);
  if (!info) return null;
  if (info.isSymbolicLink()) return Buffer.from(await readlink(full));
  if (info.isFile()) return readFile(full);
  return 'other';
}
