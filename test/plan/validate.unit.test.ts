import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { planShapeSchema, type PlanInput } from '../../src/plan/schema.js';
import {
  dependencyCycles,
  formatPlanProblem,
  planProblems,
  planSchema,
  validatePlan,
} from '../../src/plan/validate.js';

const agents = [
  { id: 'agent-1', worktree: '03a-foundation', priority: 'critical' },
  { id: 'agent-2', worktree: '03b-binary-manager' },
  { id: 'agent-8', worktree: 'main', focus: 'Integration', priority: 'ongoing' },
] as const;

function problemsOf(input: PlanInput): string[] {
  return planProblems(planShapeSchema.parse(input)).map(formatPlanProblem);
}

function streams(...deps: [string, string[]][]): PlanInput['streams'] {
  return deps.map(([id, dependsOn]) => ({ id, agents: ['agent-1'], dependsOn }));
}

describe('plan schema', () => {
  it('fills the defaults: empty lists, medium priority, no focus, gates not before push', () => {
    const plan = planShapeSchema.parse({
      agents: [{ id: 'a', worktree: 'w' }],
      gates: [{ name: 'lint', run: ['make', 'lint'] }],
    });
    expect(plan).toEqual({
      agents: [{ id: 'a', worktree: 'w', focus: '', priority: 'medium' }],
      streams: [],
      gates: [{ name: 'lint', run: ['make', 'lint'], prePush: false }],
    });
  });

  it('accepts the main worktree as an agent worktree', () => {
    expect(validatePlan({ agents: [agents[2]] })).toMatchObject({ ok: true });
  });

  it.each([
    [{ agents: [{ id: 'agent 1', worktree: 'w' }] }, 'agents.0.id: must be an agent id'],
    [{ agents: [{ id: 'a', worktree: '../x' }] }, 'agents.0.worktree: the worktree name must'],
    [{ agents: [{ id: 'a', worktree: 'w', priority: 'urgent' }] }, 'agents.0.priority:'],
    [
      { gates: [{ name: 'x', run: ['true'], timeout: '5 minutes' }] },
      'gates.0.timeout: "5 minutes" is not a duration',
    ],
    [{ gates: [{ name: 'x', run: ['true'], timeout: '0s' }] }, 'gates.0.timeout: "0s" is zero'],
    [{ gates: [{ name: 'x', run: 'make lint' }] }, 'gates.0.run:'],
    [{ streams: [{ id: 's', agents: [], bogus: 1 }] }, 'streams.0: unknown key(s) bogus'],
  ])('refuses a bad shape %j with %j', (raw, expected) => {
    const result = validatePlan(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(expected);
  });

  it('reports the cross-reference problems through zod too, with their paths', () => {
    const result = planSchema.safeParse({ agents: [agents[0]], streams: streams(['s1', ['s9']]) });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['streams.0.dependsOn.0']);
  });

  it('describes every key for the JSON schema', () => {
    const json = JSON.stringify(z.toJSONSchema(planSchema, { io: 'input', target: 'draft-7' }));
    for (const key of ['worktree', 'priority', 'dependsOn', 'prePush', 'timeout']) {
      expect(json).toContain(`"${key}"`);
    }
    expect(json).toContain('\\"main\\" is the main worktree');
  });
});

describe('plan problems', () => {
  it('finds none in a plan whose references all resolve', () => {
    const plan = {
      agents: [...agents],
      streams: [
        { id: 'stream-1', agents: ['agent-1', 'agent-2'] },
        { id: 'stream-2', worktrees: ['main'], dependsOn: ['stream-1'] },
      ],
      gates: [{ name: 'lint', run: ['make', 'lint'], prePush: true }],
    };
    expect(problemsOf(plan)).toEqual([]);
    expect(validatePlan(plan).ok).toBe(true);
  });

  it('names an unknown agent referenced by a stream and lists the known ones', () => {
    expect(
      problemsOf({ agents: [...agents], streams: [{ id: 's', agents: ['agent-1', 'agent-9'] }] }),
    ).toEqual([
      'streams.0.agents.1: unknown agent "agent-9" in stream "s" (the plan\'s agents: agent-1, agent-2, agent-8)',
    ]);
  });

  it('names an unknown worktree referenced by a stream', () => {
    expect(
      problemsOf({ agents: [...agents], streams: [{ id: 's', worktrees: ['nope'] }] }),
    ).toEqual([
      'streams.0.worktrees.0: unknown worktree "nope" in stream "s"; no agent works in it (the plan\'s worktrees: 03a-foundation, 03b-binary-manager, main)',
    ]);
  });

  it('names a dependency on an unknown stream', () => {
    expect(problemsOf({ agents: [...agents], streams: streams(['s1', ['s2']]) })).toEqual([
      'streams.0.dependsOn.0: unknown stream "s2" in stream "s1" (the plan\'s streams: s1)',
    ]);
  });

  it('names each duplicate id with the place of the first', () => {
    expect(
      problemsOf({
        agents: [agents[0], { id: 'agent-1', worktree: 'other' }],
        streams: streams(['s1', []], ['s1', []]),
        gates: [
          { name: 'lint', run: ['make'] },
          { name: 'lint', run: ['npm'] },
        ],
      }),
    ).toEqual([
      'agents.1.id: duplicate agent id "agent-1" (also agents.0.id); give each its own',
      'streams.1.id: duplicate stream id "s1" (also streams.0.id); give each its own',
      'gates.1.name: duplicate gate name "lint" (also gates.0.name); give each its own',
    ]);
  });

  it('refuses two agents in one linked worktree but lets several work in main', () => {
    expect(
      problemsOf({
        agents: [
          { id: 'a', worktree: 'w' },
          { id: 'b', worktree: 'w' },
          { id: 'c', worktree: 'main' },
          { id: 'd', worktree: 'main' },
        ],
      }),
    ).toEqual([
      'agents.1.worktree: worktree "w" is already a\'s; give each agent its own worktree',
    ]);
  });

  it('names a two-stream cycle once, from the stream that comes first', () => {
    expect(
      problemsOf({ agents: [...agents], streams: streams(['b', ['a']], ['a', ['b']]) }),
    ).toEqual([
      'streams.0.dependsOn: dependency cycle b → a → b; remove one of these dependencies',
    ]);
  });

  it('names a stream that depends on itself', () => {
    expect(problemsOf({ agents: [...agents], streams: streams(['s', ['s']]) })).toEqual([
      'streams.0.dependsOn: dependency cycle s → s; remove one of these dependencies',
    ]);
  });

  it('names a longer cycle behind a stream that only leads into it', () => {
    const plan = planShapeSchema.parse({
      agents: [...agents],
      streams: streams(['x', ['a']], ['a', ['b']], ['b', ['c']], ['c', ['a']]),
    });
    expect(dependencyCycles(plan)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('does not call a diamond a cycle', () => {
    const plan = planShapeSchema.parse({
      agents: [...agents],
      streams: streams(['a', []], ['b', ['a']], ['c', ['a']], ['d', ['b', 'c']]),
    });
    expect(dependencyCycles(plan)).toEqual([]);
  });

  it('follows a chain of 20000 streams without overflowing the stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i): [string, string[]] => [
      `s${i}`,
      [`s${(i + 1) % 20_000}`],
    ]);
    const plan = planShapeSchema.parse({ agents: [...agents], streams: streams(...chain) });
    expect(dependencyCycles(plan)).toHaveLength(1);
    expect(dependencyCycles(plan)[0]).toHaveLength(20_001);
    expect(planProblems(plan).map((p) => p.path)).toEqual([['streams', 0, 'dependsOn']]);
  });

  it('names a gate with an empty command or an empty program', () => {
    expect(
      problemsOf({
        gates: [
          { name: 'lint', run: [] },
          { name: 'test', run: ['', 'test'] },
          { name: 'msg', run: ['git', 'commit', '-m', ''] },
        ],
      }),
    ).toEqual([
      'gates.0.run: gate "lint" has no command; write it as an argument array such as ["make", "lint"]',
      'gates.1.run.0: gate "test" has an empty program name; the first element is the program to run',
    ]);
  });

  it('names a stream with neither agents nor worktrees, and one listed twice', () => {
    expect(
      problemsOf({
        agents: [...agents],
        streams: [{ id: 'e' }, { id: 't', agents: ['agent-1', 'agent-1'] }],
      }),
    ).toEqual([
      'streams.0: stream "e" names no agent and no worktree; add its agents',
      'streams.1.agents.1: agent "agent-1" is listed twice in stream "t"',
    ]);
  });
});
