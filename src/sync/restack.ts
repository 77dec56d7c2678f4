/**
 * Where sync brings a branch: the base, or for a part of a stack (`tmc-orch split --apply`, see
 * src/stack/record.ts) its parent. A part whose parent moved is rebased onto the parent's new tip,
 * replaying only its own commits (`rebase --onto <parent> <fork point>`); once the parent is in
 * the base (merged, squash-merged or fast-forwarded: its changes are there), the part goes onto
 * the parent's own parent, and at the bottom of the stack onto the base, and its record says so.
 *
 * The decision is a function of facts (decideTarget); gathering them costs a few git processes
 * per stacked branch and none for the others.
 */
import { isAncestor, mergeBaseOctopus, refCommits } from '../git/index.js';
import { readStack, stackEntryOf, writeStackEntry, type StackEntry } from '../stack/record.js';
import { UsageError } from '../errors.js';
import { changesMissing } from './forecast.js';
import type { SyncResultBase, SyncStrategy } from './types.js';
import { shellWord, shortId } from '../ui/format.js';

/** What sync brings into a branch, and what the stack record says once it has. */
export interface SyncTarget {
  /** The commit to rebase onto or merge. */
  commit: string;
  /** Its name, for people: the base (`origin/main`) or the parent branch. */
  name: string;
  /** Rebase only the commits after this one (`rebase --onto commit upstream`); null: a plain rebase. */
  upstream: string | null;
  /** The stack record to write once synced; null for a branch outside any stack. */
  record: { parent: string | null; forkPoint: string | null } | null;
  /** The parent recorded before (null outside a stack), to tell a retarget. */
  previousParent: string | null;
}

/** A branch below the synced one in its stack, as sync finds it. */
interface ParentFacts {
  branch: string;
  /** Its commit, or null when the branch is gone. */
  tip: string | null;
  /** Whether its changes are all in the base (for a gone branch: those of the fork point). */
  inBase: boolean;
}

export interface TargetFacts {
  base: { name: string; commit: string };
  /** The branch's stack entry, or null: its PR is against the base. */
  entry: StackEntry | null;
  /** The parent, then its own parent…, up to the first one not in the base (or the last). */
  chain: readonly ParentFacts[];
  /**
   * Where the branch's own commits start: the recorded fork point when it is still below HEAD,
   * else the merge base with the parent; null when neither is known.
   */
  ownStart: string | null;
}

export type TargetDecision =
  { status: 'target'; target: SyncTarget } | { status: 'blocked'; reason: string };

/** Where a branch is synced onto, from what sync found. */
export function decideTarget(facts: TargetFacts): TargetDecision {
  const { base, entry } = facts;
  if (entry === null) {
    return {
      status: 'target',
      target: {
        commit: base.commit,
        name: base.name,
        upstream: null,
        record: null,
        previousParent: null,
      },
    };
  }
  const next = facts.chain.find((p) => !p.inBase);
  if (next !== undefined && next.tip === null) {
    return {
      status: 'blocked',
      reason: `its parent branch ${next.branch} is gone and its changes are not in ${base.name}, so sync cannot tell what to bring in; record the branch its PR is against (git config ${shellWord(`branch.${entry.branch}.tmcOrchParent`)} <branch>) or drop the record to sync with ${base.name} (git config --unset ${shellWord(`branch.${entry.branch}.tmcOrchParent`)})`,
    };
  }
  if (facts.ownStart === null) {
    return {
      status: 'blocked',
      reason: `its own commits cannot be told from those of its parent ${entry.parent} (no fork point recorded, and the parent branch is gone); rebase it by hand (git rebase --onto <new base> <first commit of its own>^) and sync again`,
    };
  }
  const onto = next ?? null;
  return {
    status: 'target',
    target: {
      commit: onto?.tip ?? base.commit,
      name: onto?.branch ?? base.name,
      upstream: facts.ownStart,
      record: { parent: onto?.branch ?? null, forkPoint: onto?.tip ?? null },
      previousParent: entry.parent,
    },
  };
}

/** Whether all the changes of `commit` are in the base: reachable from it, or squashed into it. */
async function changesInBase(cwd: string, commit: string, baseCommit: string): Promise<boolean> {
  if (await isAncestor(cwd, commit, baseCommit)) return true;
  try {
    return (await changesMissing(cwd, commit, baseCommit)).length === 0;
  } catch (error) {
    // git before 2.38 cannot merge in objects: only a merge the history shows is seen.
    if (error instanceof UsageError) return false;
    throw error;
  }
}

/** Gathers the facts and decides where `branch` (at `head`) is synced onto. */
export async function syncTarget(
  cwd: string,
  branch: string,
  head: string,
  base: { name: string; commit: string },
): Promise<TargetDecision> {
  const stack = await readStack(cwd);
  const entry = stack.get(branch) ?? null;
  if (entry === null) return decideTarget({ base, entry, chain: [], ownStart: null });
  // The parents below it, as far as the stack records them (a loop is cut).
  const names: string[] = [];
  for (let p: string | null = entry.parent; p !== null && !names.includes(p) && p !== branch;) {
    names.push(p);
    p = stack.get(p)?.parent ?? null;
  }
  const tips = await refCommits(
    cwd,
    names.map((n) => `refs/heads/${n}`),
  );
  const forkPoint =
    entry.forkPoint !== null && (await isAncestor(cwd, entry.forkPoint, head).catch(() => false))
      ? entry.forkPoint
      : null;
  const chain: ParentFacts[] = [];
  for (const [i, name] of names.entries()) {
    const tip = tips.get(`refs/heads/${name}`) ?? null;
    // A gone parent is judged by the commit of it the branch was built on.
    const judged = tip ?? (i === 0 ? forkPoint : null);
    const inBase = judged !== null && (await changesInBase(cwd, judged, base.commit));
    chain.push({ branch: name, tip, inBase });
    if (!inBase) break;
  }
  const parentTip = chain[0]?.tip ?? null;
  const ownStart =
    forkPoint ?? (parentTip !== null ? await mergeBaseOctopus(cwd, [head, parentTip]) : null);
  return decideTarget({ base, entry, chain, ownStart });
}

/** What a result says of a part of a stack synced onto `target`; null outside any stack. */
export function stackResult(target: SyncTarget): SyncResultBase['stack'] {
  if (target.record === null || target.previousParent === null) return null;
  return { onto: target.name, parent: target.record.parent, previousParent: target.previousParent };
}

/**
 * The git command that does what sync would, for a user resolving conflicts by hand: the branch
 * quoted for a shell (git allows `$(…)`, `;` and `|` in branch names).
 */
export function byHand(strategy: SyncStrategy, target: SyncTarget): string {
  if (strategy === 'rebase' && target.upstream !== null) {
    return `rebase --onto ${shellWord(target.name)} ${shortId(target.upstream)}`;
  }
  return `${strategy} ${shellWord(target.name)}`;
}

/** Writes a part's stack record as sync leaves it (nothing outside a stack, or unchanged). */
export async function writeRecord(
  cwd: string,
  branch: string,
  record: SyncTarget['record'],
): Promise<void> {
  if (record === null) return;
  const now = await stackEntryOf(cwd, branch);
  if ((now?.parent ?? null) === record.parent && (now?.forkPoint ?? null) === record.forkPoint) {
    return;
  }
  await writeStackEntry(cwd, branch, record);
}
