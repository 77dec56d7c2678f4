import type { GateVerdict } from '../gates/record.js';
import { MAIN_WORKTREE, PRIORITIES, type Plan, type PlanAgent, type Priority } from './schema.js';

/**
 * The plan joined with what is true now: who holds each planned worktree, which streams are
 * finished, and what each agent still waits for. Pure, so `tmc-orch plan` and the refusal of
 * `tmc-orch claim` are decided on data the commands gather.
 *
 * A stream is finished when every worktree in it (its agents' and its own) is merged into the
 * base. The main worktree never keeps a stream unfinished: its work is on the base already.
 * Waiting is transitive: a stream waits for every unfinished stream it depends on directly or
 * through other streams, since a finished stream 2 built on an unfinished stream 1 still lacks
 * stream 1's work in the base. A worktree never waits for the streams it is part of itself.
 */

/** What the commands know about one worktree now. */
export interface WorktreeLive {
  /** The worktree is checked out (it may be planned but not created yet). */
  exists: boolean;
  /** Who claimed it, or null when nobody has. */
  claim: { agent: string } | null;
  /**
   * Its work is in the base. The caller must not count a branch with no work of its own as
   * merged (a new worktree's tip is an ancestor of the base too).
   */
  merged: boolean;
  /** How it was merged, when it was: a merge (or fast-forward), a squash, or its content. */
  mergedHow: 'merge' | 'squash' | 'content' | null;
  /** The branch checked out there, without refs/heads/; null when detached or not created. */
  branch: string | null;
  /** What the last `tmc-orch gate` run says about its current commit. */
  gates: GateVerdict;
  /** Counted lines of its PR, or null when unknown (not created, not counted). */
  lines: number | null;
  withinLimit: boolean | null;
  ahead: number | null;
  behind: number | null;
}

/** Live state by worktree name; the main worktree under "main". */
export type LiveState = ReadonlyMap<string, WorktreeLive>;

/** A planned worktree nobody has created yet. */
export const NOT_CREATED: WorktreeLive = {
  exists: false,
  claim: null,
  merged: false,
  mergedHow: null,
  branch: null,
  gates: { status: 'not-run' },
  lines: null,
  withinLimit: null,
  ahead: null,
  behind: null,
};

type ClaimState =
  | { state: 'free' }
  /** Held by the agent the plan gives the worktree to. */
  | { state: 'planned-agent'; agent: string }
  | { state: 'other-agent'; agent: string };

export interface PlanRow {
  agent: string;
  worktree: string;
  /** The worktree is the main worktree. */
  main: boolean;
  focus: string;
  priority: Priority;
  /** The streams the agent or its worktree is in, in plan order. */
  streams: string[];
  claim: ClaimState;
  /** Unfinished streams it waits for (transitively), in plan order; empty when it may start. */
  blockedBy: string[];
  live: WorktreeLive;
}

export interface StreamStatus {
  id: string;
  title: string;
  finished: boolean;
  /** Its worktrees not merged into the base yet (never the main worktree). */
  unmerged: string[];
  /** Unfinished streams it waits for (transitively), in plan order. */
  blockedBy: string[];
}

export interface PlanView {
  /** One row per agent, most urgent first (critical, high, medium, low, ongoing), then by id. */
  rows: PlanRow[];
  /** In plan order. */
  streams: StreamStatus[];
}

const byId = new Intl.Collator('en', { numeric: true });

export function planView(plan: Plan, live: LiveState): PlanView {
  const streams = streamStatuses(plan, live);
  const rows = plan.agents.map((agent): PlanRow => {
    const state = live.get(agent.worktree) ?? NOT_CREATED;
    const own = streamsOf(plan, agent.worktree, [agent.id]);
    return {
      agent: agent.id,
      worktree: agent.worktree,
      main: agent.worktree === MAIN_WORKTREE,
      focus: agent.focus,
      priority: agent.priority,
      streams: own,
      claim: claimState(state, agent),
      blockedBy: waitsFor(streams, own),
      live: state,
    };
  });
  const rank = (p: Priority) => PRIORITIES.indexOf(p);
  rows.sort(
    (a, b) =>
      rank(a.priority) - rank(b.priority) ||
      byId.compare(a.agent, b.agent) ||
      (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0),
  );
  return { rows, streams };
}

export interface StreamBlocker {
  stream: string;
  title: string;
  unmerged: string[];
}

/** Whether claiming `worktree` should wait, and for which streams' unmerged worktrees. */
export type ClaimBlockers =
  /** No agent and no stream of the plan names the worktree. */
  | { status: 'unplanned'; worktree: string }
  | { status: 'clear'; worktree: string; agents: string[]; streams: string[] }
  | {
      status: 'blocked';
      worktree: string;
      /** The agents the plan gives the worktree to. */
      agents: string[];
      streams: string[];
      blockers: StreamBlocker[];
    };

export function claimBlockers(plan: Plan, live: LiveState, worktree: string): ClaimBlockers {
  const agents = plan.agents.filter((a) => a.worktree === worktree).map((a) => a.id);
  const own = streamsOf(plan, worktree, agents);
  if (agents.length === 0 && own.length === 0) return { status: 'unplanned', worktree };
  const statuses = streamStatuses(plan, live);
  const waiting = waitsFor(statuses, own);
  if (waiting.length === 0) return { status: 'clear', worktree, agents, streams: own };
  const blockers = statuses
    .filter((s) => waiting.includes(s.id))
    .map((s) => ({ stream: s.id, title: s.title, unmerged: s.unmerged }));
  return { status: 'blocked', worktree, agents, streams: own, blockers };
}

/** "stream-1 (Critical Architectural Fixes): 03a-foundation, 03b-binary-manager not merged". */
export function describeBlocker(blocker: StreamBlocker): string {
  const title = blocker.title ? ` (${blocker.title})` : '';
  return `${blocker.stream}${title}: ${blocker.unmerged.join(', ')} not merged`;
}

function claimState(state: WorktreeLive, agent: PlanAgent): ClaimState {
  if (!state.claim) return { state: 'free' };
  const planned = state.claim.agent === agent.id;
  return { state: planned ? 'planned-agent' : 'other-agent', agent: state.claim.agent };
}

/** Ids of the streams that name the worktree or one of the agents, in plan order, once each. */
function streamsOf(plan: Plan, worktree: string, agents: readonly string[]): string[] {
  const ids = plan.streams
    .filter((s) => s.worktrees.includes(worktree) || s.agents.some((a) => agents.includes(a)))
    .map((s) => s.id);
  return [...new Set(ids)];
}

function streamStatuses(plan: Plan, live: LiveState): StreamStatus[] {
  // Reversed so that, for a duplicated id (a validation problem), the first stream wins.
  const first = new Map(plan.streams.map((s) => [s.id, s] as const).reverse());
  const unmerged = new Map<string, string[]>();
  for (const stream of first.values()) {
    const worktrees = new Set([
      ...plan.agents.filter((a) => stream.agents.includes(a.id)).map((a) => a.worktree),
      ...stream.worktrees,
    ]);
    worktrees.delete(MAIN_WORKTREE);
    const open = [...worktrees].filter((w) => !(live.get(w) ?? NOT_CREATED).merged);
    unmerged.set(stream.id, open);
  }
  const order = [...new Set(plan.streams.map((s) => s.id))];
  return order.map((id) => {
    const stream = first.get(id) as Plan['streams'][number];
    const open = unmerged.get(id) ?? [];
    // Every stream reachable through dependsOn; the visited set keeps a cycle from looping.
    const reached = new Set<string>();
    const queue = [...stream.dependsOn];
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (reached.has(next) || !first.has(next)) continue;
      reached.add(next);
      queue.push(...(first.get(next)?.dependsOn ?? []));
    }
    reached.delete(id);
    const blockedBy = order.filter((s) => reached.has(s) && (unmerged.get(s) ?? []).length > 0);
    return { id, title: stream.title, finished: open.length === 0, unmerged: open, blockedBy };
  });
}

/** The unfinished streams any of `own` waits for, except `own` themselves, in plan order. */
function waitsFor(statuses: readonly StreamStatus[], own: readonly string[]): string[] {
  const waiting = new Set(statuses.filter((s) => own.includes(s.id)).flatMap((s) => s.blockedBy));
  return statuses.map((s) => s.id).filter((id) => waiting.has(id) && !own.includes(id));
}
