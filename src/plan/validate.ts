// zod/mini and a namespace import, as in src/config/schema.ts.
import * as z from 'zod/mini';
import { countedList } from '../ui/format.js';
import { MAIN_WORKTREE, planShapeSchema, type Plan } from './schema.js';

/**
 * What a plan's shape cannot say: every reference resolves, ids are unique, streams do not wait
 * for each other in a circle, gates have a command. Each problem has the path of the key it is
 * about, so it reads `streams.1.dependsOn.0: unknown stream "stream-9" ...` like a config error.
 */

export interface PlanProblem {
  path: (string | number)[];
  message: string;
}

export type PlanValidation =
  | { ok: true; plan: Plan }
  | {
      ok: false;
      /** `path.to.key: message`, one per problem. */
      problems: string[];
    };

/** `path.to.key: message`. */
export function formatPlanProblem(problem: PlanProblem): string {
  return `${problem.path.map(String).join('.') || '(root)'}: ${problem.message}`;
}

// The same wording as the config's errors (formatIssues in src/config/load.ts), one per issue.
function formatIssue(issue: z.core.$ZodIssue): string {
  const message =
    issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
  return formatPlanProblem({
    path: issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message,
  });
}

/** Checks raw data (a config value, imported JSON) against the shape, then planProblems. */
export function validatePlan(raw: unknown): PlanValidation {
  const shape = planShapeSchema.safeParse(raw);
  if (!shape.success) return { ok: false, problems: shape.error.issues.map(formatIssue) };
  const problems = planProblems(shape.data);
  if (problems.length > 0) return { ok: false, problems: problems.map(formatPlanProblem) };
  return { ok: true, plan: shape.data };
}

/** The plan as the config will hold it: the shape, then every problem planProblems finds. */
export const planSchema = planShapeSchema.check(
  z.superRefine((plan, ctx) => {
    for (const problem of planProblems(plan)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  }),
);

/** Every problem beyond the shape, in the order of the plan. Empty for a plan that can be used. */
export function planProblems(plan: Plan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const agentIds = firstIndexes(
    plan.agents.map((a) => a.id),
    'agents',
    'id',
    'agent id',
    problems,
  );
  const owners = new Map<string, string>();
  plan.agents.forEach((agent, index) => {
    const owner = owners.get(agent.worktree);
    // Several agents may work in the main worktree: nobody claims it. A linked worktree has one
    // claim at a time, so a plan giving it to two agents cannot be followed.
    if (owner !== undefined && owner !== agent.id && agent.worktree !== MAIN_WORKTREE) {
      problems.push({
        path: ['agents', index, 'worktree'],
        message: `worktree "${agent.worktree}" is already ${owner}'s; give each agent its own worktree`,
      });
    } else if (owner === undefined) owners.set(agent.worktree, agent.id);
  });
  const streamIds = firstIndexes(
    plan.streams.map((s) => s.id),
    'streams',
    'id',
    'stream id',
    problems,
  );
  const known = {
    agents: [...agentIds.keys()],
    worktrees: [...owners.keys()],
    dependsOn: [...streamIds.keys()],
  };
  const sets = {
    agents: new Set(known.agents),
    worktrees: new Set(known.worktrees),
    dependsOn: new Set(known.dependsOn),
  };
  const kinds = { agents: 'agent', worktrees: 'worktree', dependsOn: 'stream' } as const;
  plan.streams.forEach((stream, i) => {
    if (stream.agents.length === 0 && stream.worktrees.length === 0) {
      problems.push({
        path: ['streams', i],
        message: `stream "${stream.id}" names no agent and no worktree; add its agents`,
      });
    }
    for (const key of ['agents', 'worktrees', 'dependsOn'] as const) {
      const kind = kinds[key];
      const advice = key === 'worktrees' ? '; no agent works in it' : '';
      const seen = new Set<string>();
      stream[key].forEach((value, j) => {
        if (seen.has(value)) {
          problems.push({
            path: ['streams', i, key, j],
            message: `${kind} "${value}" is listed twice in stream "${stream.id}"`,
          });
        } else if (!sets[key].has(value)) {
          problems.push({
            path: ['streams', i, key, j],
            message: `unknown ${kind} "${value}" in stream "${stream.id}"${advice} (the plan's ${kind}s: ${listOf(known[key])})`,
          });
        }
        seen.add(value);
      });
    }
  });
  for (const cycle of dependencyCycles(plan)) {
    problems.push({
      path: ['streams', streamIds.get(cycle[0] ?? '') ?? 0, 'dependsOn'],
      message: `dependency cycle ${cycle.join(' → ')}; remove one of these dependencies`,
    });
  }
  firstIndexes(
    plan.gates.map((g) => g.name),
    'gates',
    'name',
    'gate name',
    problems,
  );
  plan.gates.forEach((gate, i) => {
    if (gate.run.length === 0) {
      problems.push({
        path: ['gates', i, 'run'],
        message: `gate "${gate.name}" has no command; write it as an argument array such as ["make", "lint"]`,
      });
    } else if (gate.run[0] === '') {
      problems.push({
        path: ['gates', i, 'run', 0],
        message: `gate "${gate.name}" has an empty program name; the first element is the program to run`,
      });
    }
  });
  return problems;
}

/**
 * Every circle of streams waiting for each other, each once, as ids from the stream that comes
 * first in the plan back to itself: ["stream-1", "stream-2", "stream-1"].
 */
export function dependencyCycles(plan: Plan): string[][] {
  const order = new Map<string, number>();
  const edges = new Map<string, string[]>();
  plan.streams.forEach((s, i) => {
    if (!order.has(s.id)) order.set(s.id, i);
    edges.set(s.id, [...(edges.get(s.id) ?? []), ...s.dependsOn]);
  });
  const state = new Map<string, 'open' | 'done'>();
  const seen = new Set<string>();
  const cycles: string[][] = [];
  for (const start of order.keys()) {
    if (state.has(start)) continue;
    // Iterative depth-first search: a long chain of streams must not overflow the stack.
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const node = path[path.length - 1] as string;
      const targets = (edges.get(node) ?? []).filter((t) => order.has(t));
      const at = next[next.length - 1] as number;
      if (at >= targets.length) {
        state.set(node, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = at + 1;
      const target = targets[at] as string;
      if (state.get(target) === 'open') {
        const members = path.slice(path.indexOf(target));
        const key = [...members].sort().join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(rotateToFirst(members, order));
        }
      } else if (!state.has(target)) {
        state.set(target, 'open');
        path.push(target);
        next.push(0);
      }
    }
  }
  return cycles;
}

function rotateToFirst(members: string[], order: Map<string, number>): string[] {
  let first = 0;
  members.forEach((m, i) => {
    if ((order.get(m) ?? 0) < (order.get(members[first] as string) ?? 0)) first = i;
  });
  const rotated = [...members.slice(first), ...members.slice(0, first)];
  return [...rotated, rotated[0] as string];
}

/** The index where each value first appears; a problem for each repeat. */
function firstIndexes(
  values: readonly string[],
  list: string,
  key: string,
  kind: string,
  problems: PlanProblem[],
): Map<string, number> {
  const first = new Map<string, number>();
  values.forEach((value, index) => {
    const earlier = first.get(value);
    if (earlier === undefined) first.set(value, index);
    else {
      problems.push({
        path: [list, index, key],
        message: `duplicate ${kind} "${value}" (also ${list}.${earlier}.${key}); give each its own`,
      });
    }
  });
  return first;
}

function listOf(values: readonly string[]): string {
  return values.length === 0 ? 'none' : countedList(values, 12);
}
