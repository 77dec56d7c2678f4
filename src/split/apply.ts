/**
 * `tmc-orch split --apply`: the plan made into a stack of branches. Part k is one commit on part
 * k-1 (part 1 on the merge base) whose tree is the merge base's with the changes of parts 1..k,
 * built in git's object store from a throw-away index (partTrees says which paths are at REV's
 * state), so no checkout, index or branch of the user is touched. The last part's tree must be
 * REV's tree, or nothing is created.
 *
 * Everything is checked before anything is made (names free and valid, REV's worktree clean,
 * the plan under the limit), the branches are created in one ref transaction (all or none), then
 * the stack is recorded (`branch.<part>.tmcOrchParent`, see src/stack/record.ts) and, with
 * worktrees, one worktree per part is added and claimed. A failure after the branches exist
 * removes every worktree, claim, record and branch this run made, each only if still as made; so
 * does Ctrl-C or SIGTERM, caught until the run returns (interrupt.ts).
 */
import { InterruptedError, UsageError } from '../errors.js';
import {
  changedEntries,
  commitTree,
  createRefs,
  headBranch,
  refCommits,
  treeOf,
  updateIndexEntries,
  withCommitIndex,
  writeTree,
  type TreeEntry,
} from '../git/index.js';
import { countLines } from '../linecount/count.js';
import type { Repo } from '../repo.js';
import { writeStackEntry } from '../stack/record.js';
import { claimWorktree } from '../claims/claim.js';
import { addWorktreeFor } from '../worktrees/add.js';
import { worktrees } from '../worktrees/worktrees.js';
import type { SplitReport } from './gather.js';
import { partBranchNames, partWorktreeName } from './names.js';
import {
  assertApplicable,
  assertClean,
  assertNamesFree,
  assertWorktreesFree,
} from './preconditions.js';
import { watchInterrupts, type InterruptWatch, type Signal } from './interrupt.js';
import { takeBack, type Made } from './take-back.js';
import { partTrees } from './trees.js';
import { shortId } from '../ui/format.js';

export interface ApplyOptions {
  /** REV's branch, which names the parts (`<branch>-part-<k>`); null when REV is no branch. */
  branch: string | null;
  /** Names the parts `<prefix>-<k>` instead. */
  prefix?: string;
  /** Add a worktree per part, claimed by `agent`. */
  worktrees: boolean;
  /** The acting agent: it claims the worktrees (an explicit id, see actingAgent). */
  agent: string;
  /** The --base given to split, if any: the first part's PR is against it, and checked so. */
  base?: string;
  /** Whether REV is the checked-out HEAD (then its worktree must be clean). */
  revIsHead: boolean;
  onProgress?: (step: string) => void;
  /** Told of a SIGINT or SIGTERM as it comes: the run stops at its next step (interrupt.ts). */
  onInterrupt?: (signal: Signal) => void;
}

interface AppliedPart {
  index: number;
  branch: string;
  /** The branch this part's PR is against: the part before, REV's own parent, or null (base). */
  parent: string | null;
  commit: string;
  /** What `tmc-orch check <branch>` says of the part's PR (the first part's: with --base). */
  check: { lines: number; limit: number; withinLimit: boolean };
  /** The worktree of the part (with --worktrees), claimed by the acting agent. */
  worktree: { name: string; path: string } | null;
}

export interface ApplyResult {
  /** The parts in the order their PRs are opened (and merged). */
  parts: AppliedPart[];
  /** The last part's tree, checked equal to REV's. */
  tree: string;
  warnings: string[];
}

/** The commit message of part `index` of `report`. */
function partMessage(report: SplitReport, index: number, source: string): string {
  const part = report.parts[index - 1]!;
  const n = report.parts.length;
  return [
    `${part.name} (part ${index} of ${n} of ${source})`,
    '',
    `${part.lines} counted lines: ${part.reason}.`,
    '',
    `Split from ${source} at ${report.headCommit} by tmc-orch split --apply; the PR of each part`,
    'is against the part before it.',
    '',
  ].join('\n');
}

/** The part commits, each on the one before, and the last one's tree (checked to be REV's). */
async function buildCommits(
  repo: Repo,
  report: SplitReport,
  source: string,
): Promise<{ commits: string[]; tree: string }> {
  const cwd = repo.toplevel;
  const [states, headTree] = await Promise.all([
    changedEntries(cwd, report.mergeBase, report.headCommit),
    treeOf(cwd, report.headCommit),
  ]);
  const commits: string[] = [];
  let tree = '';
  await withCommitIndex(cwd, report.mergeBase, async (indexFile) => {
    let parent = report.mergeBase;
    for (const part of partTrees(report.parts)) {
      const entries = new Map<string, TreeEntry>();
      for (const path of part.changes) {
        // A path the diff names but the tree diff does not (mode or rename quirks) is at its
        // merge-base state either way: leaving it out keeps it so, and the tree check decides.
        const state = states.get(path);
        if (state) entries.set(path, state);
      }
      await updateIndexEntries(cwd, indexFile, entries);
      tree = await writeTree(cwd, indexFile);
      parent = await commitTree(cwd, tree, [parent], partMessage(report, part.index, source));
      commits.push(parent);
    }
  });
  if (tree !== headTree) {
    throw new Error(
      `the last part's tree ${tree} is not the tree of ${report.head} (${headTree}): the parts would not add up to the branch, so nothing was created; please report this with the output of tmc-orch split --json ${report.head}`,
    );
  }
  return { commits, tree };
}

export async function applySplit(
  repo: Repo,
  report: SplitReport,
  options: ApplyOptions,
): Promise<ApplyResult> {
  // From the first check to the last count: a signal stops the run cleanly (interrupt.ts).
  const interrupts = watchInterrupts(options.onInterrupt);
  try {
    return await applyWatched(repo, report, options, interrupts);
  } finally {
    interrupts.stop();
  }
}

async function applyWatched(
  repo: Repo,
  report: SplitReport,
  options: ApplyOptions,
  interrupts: InterruptWatch,
): Promise<ApplyResult> {
  // Throws at a step's end once a signal came. Once the branches exist, takenBack (below)
  // replaces this error with one saying what was taken back.
  const stopIfInterrupted = (): void => {
    if (interrupts.signal !== null) {
      throw new InterruptedError(
        interrupts.signal,
        `split --apply was stopped by ${interrupts.signal} before it made anything; nothing was created`,
      );
    }
  };
  assertApplicable(report);
  const flag = options.prefix !== undefined ? '--name' : '--name <prefix>';
  const names = partBranchNames(options.branch, options.prefix, report.parts.length);
  if (names === null) {
    throw new UsageError(
      `${report.head} is not a branch, so the parts have no name to take; name them: tmc-orch split --apply ${report.head} --name <prefix>`,
    );
  }
  const all = await worktrees(repo);
  await assertNamesFree(repo, names, flag, all);
  const worktreeNames = names.map((n) => partWorktreeName(n, repo.config.branchPrefix));
  if (options.worktrees) await assertWorktreesFree(repo, worktreeNames, all);
  await assertClean(repo, options, all);

  options.onProgress?.(`building ${names.length} part commits…`);
  const source = options.branch ?? shortId(report.headCommit);
  const { commits, tree } = await buildCommits(repo, report, source).catch((error: unknown) => {
    // A git process the signal reached fails: that is the stop, not a failure.
    stopIfInterrupted();
    throw error;
  });
  stopIfInterrupted();

  const made: Made = { branches: [], records: [], worktrees: [] };
  /**
   * Takes back what the run made, and returns the error to throw: `error` saying so, or, once a
   * signal came, InterruptedError.
   */
  const takenBack = async (error: unknown): Promise<unknown> => {
    const left = await takeBack(repo, made, options.agent);
    const after =
      left.length === 0
        ? 'every branch, record and worktree it had made was removed'
        : `could not remove: ${left.join('; ')}`;
    if (interrupts.signal !== null) {
      return new InterruptedError(
        interrupts.signal,
        `split --apply was stopped by ${interrupts.signal} midway; ${after}`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error) error.message = `split --apply failed midway: ${message}; ${after}`;
    return error;
  };
  const refs = names.map((n, i) => ({ ref: `refs/heads/${n}`, oid: commits[i]! }));
  const created = await createRefs(repo.commonDir, refs).catch(async (error: unknown) => {
    if (interrupts.signal === null) throw error;
    // Stopped while git wrote them: its transaction may have landed. Those it made go.
    const found = await refCommits(
      repo.commonDir,
      refs.map((r) => r.ref),
    );
    made.branches = names.flatMap((name, i) =>
      found.get(`refs/heads/${name}`) === commits[i] ? [{ name, commit: commits[i]! }] : [],
    );
    throw await takenBack(error);
  });
  if (!created.swapped) {
    throw new UsageError(
      `could not create the part branches (${created.reason.split('\n')[0] ?? ''}): one was made meanwhile; nothing was created. Run tmc-orch split --apply again, or pick other names with --name <prefix>`,
    );
  }
  made.branches = names.map((name, i) => ({ name, commit: commits[i]! }));
  const parents = names.map((_, i) => (i === 0 ? report.parent : names[i - 1]!));
  const warnings: string[] = [];
  const worktreeOf = new Map<string, { name: string; path: string }>();
  try {
    for (const [i, name] of names.entries()) {
      stopIfInterrupted();
      const parent = parents[i]!;
      if (parent === null) continue;
      made.records.push(name);
      const forkPoint = i === 0 ? report.mergeBase : commits[i - 1]!;
      await writeStackEntry(repo.toplevel, name, { parent, forkPoint });
    }
    if (options.worktrees) {
      for (const [i, name] of names.entries()) {
        stopIfInterrupted();
        options.onProgress?.(`adding worktree ${i + 1}/${names.length} ${worktreeNames[i]}…`);
        // Listed before git runs: git can make the worktree and still fail (a post-checkout hook).
        made.worktrees.push(worktreeNames[i]!);
        const added = await addWorktreeFor(repo, { name: worktreeNames[i]!, branch: name });
        worktreeOf.set(name, { name: added.name, path: added.path });
        warnings.push(...added.warnings);
        stopIfInterrupted();
        const claim = await claimWorktree(repo, {
          name: added.name,
          agent: options.agent,
          task: `part ${i + 1} of ${names.length} of ${source}`,
        });
        warnings.push(...claim.warnings);
      }
    }
  } catch (error) {
    throw await takenBack(error);
  }

  options.onProgress?.('checking each part…');
  const parts: AppliedPart[] = [];
  try {
    for (const [i, name] of names.entries()) {
      // Stopped while checking: the stack is complete, but the run is not; it takes back all.
      if (interrupts.signal !== null) break;
      const against =
        parents[i] === null && options.base !== undefined ? { base: options.base } : {};
      const count = await countLines(repo, {
        rev: `refs/heads/${name}`,
        branch: name,
        ...against,
      });
      parts.push({
        index: i + 1,
        branch: name,
        parent: parents[i]!,
        commit: commits[i]!,
        check: { lines: count.counted.lines, limit: count.limit, withinLimit: count.withinLimit },
        worktree: worktreeOf.get(name) ?? null,
      });
    }
  } catch (error) {
    // A count that failed (its git reached by the signal, or not) leaves nothing behind either.
    throw await takenBack(error);
  }
  if (interrupts.signal !== null) throw await takenBack(null);
  return { parts, tree, warnings };
}

/** The branch REV names, when it names one: HEAD's, `refs/heads/<b>`, or `<b>` itself. */
export async function revBranch(repo: Repo, rev: string | undefined): Promise<string | null> {
  if (rev === undefined || rev === 'HEAD') return headBranch(repo.gitDir);
  const name = rev.startsWith('refs/heads/') ? rev.slice('refs/heads/'.length) : rev;
  const found = await refCommits(repo.toplevel, [`refs/heads/${name}`]);
  return found.has(`refs/heads/${name}`) ? name : null;
}
