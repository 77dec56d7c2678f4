import { readGateRecord, gateVerdict } from '../gates/record.js';
import { resolveBase, type Repo } from '../repo.js';
import { statusProviders } from '../status/providers.js';
import type { WorktreeStatus } from '../status/row.js';
import { gatherStatus } from '../status/status.js';
import { defaultConcurrency, mapLimit } from '../util/concurrency.js';
import { refCommits } from '../git/index.js';
import { landedWorktrees, type Landed } from '../worktrees/landed.js';
import { worktrees } from '../worktrees/worktrees.js';
import { mergeState, type BranchTip, type MergeState } from './merged.js';
import { MAIN_WORKTREE, type Plan } from './schema.js';
import { NOT_CREATED, planView, type PlanView, type WorktreeLive } from './view.js';
import { awaitedBy, planName, plannedWorktrees } from './worktrees.js';

/**
 * The live side of the plan: what git, the claims and the gate records say about each planned
 * worktree now, gathered for `tmc-orch plan`, the plan's columns of `status` and the check of
 * `claim`.
 */

/**
 * Whether each named worktree's work is in the base (by plan name): `tips` are the worktrees that
 * exist, `absent` the planned ones that do not. A worktree's work outlives the worktree: an absent
 * one whose branch is still there is judged by that branch; one whose branch went too counts as
 * merged when its landing was recorded as it was removed (src/worktrees/landed.ts), so cleaning
 * up after a merge never makes a finished stream unfinished again. A worktree made again under a
 * landed name, with no work of its own yet, is still merged: nothing new of it waits.
 */
async function mergedStates(
  repo: Repo,
  tips: readonly (BranchTip & { name: string })[],
  absent: readonly string[],
  baseCommit: string | null,
): Promise<Map<string, MergeState>> {
  const branchOf = (name: string) => `${repo.config.branchPrefix}${name}`;
  // The branches of the absent worktrees that are still there: one process for all of them.
  const [records, heads] = await Promise.all([
    landedWorktrees(repo.commonDir),
    absent.length > 0
      ? refCommits(
          repo.commonDir,
          absent.map((name) => `refs/heads/${branchOf(name)}`),
        )
      : Promise.resolve(new Map<string, string>()),
  ]);
  const left = absent.flatMap((name) => {
    const branch = branchOf(name);
    const head = heads.get(`refs/heads/${branch}`);
    return head ? [{ name, branch, head }] : [];
  });
  const all = [...tips, ...left];
  const states = await mapLimit(all, defaultConcurrency(), (tip) =>
    mergeState(repo.commonDir, tip, baseCommit),
  );
  const merged = new Map<string, MergeState>();
  all.forEach((tip, i) => {
    const state = states[i] as MergeState;
    const record = records.get(tip.name);
    merged.set(
      tip.name,
      !state.merged && state.why === 'no-work' && record ? landing(record) : state,
    );
  });
  for (const name of absent) {
    const record = records.get(name);
    if (!merged.has(name) && record) merged.set(name, landing(record));
  }
  return merged;
}

function landing(record: Landed): MergeState {
  const how = record.how === 'merged' ? 'merge' : record.how === 'squashed' ? 'squash' : 'content';
  return { merged: true, how };
}

/** Live state for a planned worktree that is not checked out but whose work is in the base. */
function removedAndMerged(state: MergeState | undefined): WorktreeLive | null {
  return state?.merged ? { ...NOT_CREATED, merged: true, mergedHow: state.how } : null;
}

/** The live state of the plan's worktrees from the rows of a status report. */
export async function liveFromStatus(
  repo: Repo,
  plan: Plan,
  rows: readonly WorktreeStatus[],
  baseCommit: string | null,
  /** Check merged only for these (default: every planned worktree); the rest count as unmerged. */
  mergedOnly?: ReadonlySet<string>,
): Promise<Map<string, WorktreeLive>> {
  const wanted = new Set(plannedWorktrees(plan));
  const byName = new Map<string, WorktreeStatus>();
  for (const row of rows) {
    const name = planName(row);
    if (wanted.has(name) && !byName.has(name)) byName.set(name, row);
  }
  const linked = [...byName.entries()].filter(
    ([name]) => name !== MAIN_WORKTREE && (mergedOnly?.has(name) ?? true),
  );
  const absent = [...wanted].filter(
    (name) => name !== MAIN_WORKTREE && !byName.has(name) && (mergedOnly?.has(name) ?? true),
  );
  const gateNames = plan.gates.map((g) => g.name);
  const [merged, records] = await Promise.all([
    mergedStates(
      repo,
      linked.map(([name, row]) => ({ name, branch: row.branch, head: row.head })),
      absent,
      baseCommit,
    ),
    Promise.all([...byName.keys()].map((name) => readGateRecord(repo.sharedDir, name))),
  ]);
  const live = new Map<string, WorktreeLive>();
  [...byName.entries()].forEach(([name, row], i) => {
    const state = merged.get(name);
    live.set(name, {
      exists: true,
      claim: row.claim ? { agent: row.claim.agent } : null,
      merged: state?.merged ?? false,
      mergedHow: state?.merged ? state.how : null,
      branch: row.branch,
      gates: gateVerdict(records[i] ?? null, row.head, gateNames),
      lines: row.lines,
      withinLimit: row.withinLimit,
      ahead: row.ahead,
      behind: row.behind,
    });
  });
  for (const name of absent) {
    const gone = removedAndMerged(merged.get(name));
    if (gone) live.set(name, gone);
  }
  return live;
}

export interface PlanReport extends PlanView {
  /** The ref worktrees are compared with, e.g. origin/main. */
  base: string;
  baseCommit: string | null;
  /** What could not be read; the rest of the report stands. */
  warnings: string[];
}

/** `tmc-orch plan`: the plan joined with the state of every planned worktree. */
export async function gatherPlan(
  repo: Repo,
  plan: Plan,
  options: { now: Date; onProgress?: (step: string) => void },
): Promise<PlanReport> {
  const providers = await statusProviders(repo, options.now);
  const report = await gatherStatus(repo, {
    conflicts: false,
    claimOf: providers.claimOf,
    linesOf: providers.linesOf,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  await providers.save();
  options.onProgress?.('checking which branches are merged…');
  const live = await liveFromStatus(repo, plan, report.worktrees, report.baseCommit);
  return {
    base: report.base,
    baseCommit: report.baseCommit,
    warnings: [...report.warnings, ...providers.warnings],
    ...planView(plan, live),
  };
}

/**
 * The live state `claimBlockers` needs to judge claiming `worktree`: whether the worktrees of the
 * streams it waits for (directly or through others) are merged. Cheaper than a status run: no
 * line counts, no claims, and no git at all for a worktree whose streams wait for nothing.
 */
export async function liveForClaim(
  repo: Repo,
  plan: Plan,
  worktree: string,
): Promise<Map<string, WorktreeLive>> {
  const names = awaitedBy(plan, worktree);
  const live = new Map<string, WorktreeLive>();
  if (names.size === 0) return live;
  const [list, { baseCommit }] = await Promise.all([worktrees(repo), resolveBase(repo)]);
  const tips = list
    .filter((wt) => !wt.main && wt.prunable === null && names.has(wt.name))
    .map((wt) => ({ name: wt.name, branch: wt.branch, head: wt.head }));
  const present = new Set(tips.map((t) => t.name));
  const absent = [...names].filter((name) => name !== MAIN_WORKTREE && !present.has(name));
  const merged = await mergedStates(repo, tips, absent, baseCommit);
  for (const [name, state] of merged) {
    if (!present.has(name)) {
      const gone = removedAndMerged(state);
      if (gone) live.set(name, gone);
      continue;
    }
    live.set(name, {
      ...NOT_CREATED,
      exists: true,
      merged: state.merged,
      mergedHow: state.merged ? state.how : null,
    });
  }
  return live;
}
