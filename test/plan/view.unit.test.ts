import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importPlan } from '../../src/plan/import.js';
import { planShapeSchema, type PlanInput } from '../../src/plan/schema.js';
import {
  NOT_CREATED,
  claimBlockers,
  describeBlocker,
  planView,
  type WorktreeLive,
} from '../../src/plan/view.js';

const example = importPlan(
  readFileSync(new URL('../fixtures/orchestration-plan.md', import.meta.url), 'utf8'),
).plan;

const created: WorktreeLive = { ...NOT_CREATED, exists: true, lines: 120, withinLimit: true };

function live(entries: Record<string, Partial<WorktreeLive>>): Map<string, WorktreeLive> {
  return new Map(Object.entries(entries).map(([name, state]) => [name, { ...created, ...state }]));
}

const merged = (...names: string[]) =>
  Object.fromEntries(names.map((name) => [name, { merged: true }]));

const STREAM_1 = ['03a-foundation', '03b-binary-manager', '02-feature-flags'];
const STREAM_2 = ['02-apiexport-split', '01-virtual-workspace', '01-security-foundation'];

describe('plan view', () => {
  it('lists the most urgent agents first, then by id in number order', () => {
    const plan = planShapeSchema.parse({
      agents: [
        { id: 'agent-10', worktree: 'a', priority: 'high' },
        { id: 'agent-9', worktree: 'b', priority: 'ongoing' },
        { id: 'agent-2', worktree: 'c', priority: 'high' },
        { id: 'agent-1', worktree: 'd', priority: 'low' },
        { id: 'agent-3', worktree: 'e', priority: 'critical' },
        { id: 'agent-4', worktree: 'f' },
      ],
    });
    expect(planView(plan, new Map()).rows.map((r) => `${r.priority} ${r.agent}`)).toEqual([
      'critical agent-3',
      'high agent-2',
      'high agent-10',
      'medium agent-4',
      'low agent-1',
      'ongoing agent-9',
    ]);
  });

  it('tells a claim by the planned agent from a claim by another agent', () => {
    const state = live({
      '03a-foundation': { claim: { agent: 'agent-1' } },
      '03b-binary-manager': { claim: { agent: 'agent-7' } },
    });
    const claims = Object.fromEntries(
      planView(example, state).rows.map((r) => [r.agent, r.claim] as const),
    );
    expect(claims['agent-1']).toEqual({ state: 'planned-agent', agent: 'agent-1' });
    expect(claims['agent-2']).toEqual({ state: 'other-agent', agent: 'agent-7' });
    expect(claims['agent-3']).toEqual({ state: 'free' });
  });

  it('blocks stream 2 on stream 1 and stream 3 on both while nothing is merged', () => {
    const view = planView(example, new Map());
    const blocked = Object.fromEntries(view.rows.map((r) => [r.agent, r.blockedBy] as const));
    expect(blocked).toEqual({
      'agent-1': [],
      'agent-2': [],
      'agent-6': [],
      'agent-3': ['stream-1'],
      'agent-4': ['stream-1'],
      'agent-5': ['stream-1'],
      'agent-7': ['stream-1', 'stream-2'],
      'agent-8': ['stream-1', 'stream-2'],
    });
    expect(view.rows.find((r) => r.agent === 'agent-8')).toMatchObject({
      main: true,
      streams: ['stream-3'],
      live: NOT_CREATED,
    });
  });

  it('finishes a stream when every one of its worktrees is merged', () => {
    const view = planView(example, live(merged(...STREAM_1)));
    expect(view.streams.map((s) => [s.id, s.finished, s.blockedBy])).toEqual([
      ['stream-1', true, []],
      ['stream-2', false, []],
      ['stream-3', false, ['stream-2']],
    ]);
    expect(view.streams[1]?.unmerged).toEqual(STREAM_2);
  });

  it('never lets the main worktree keep a stream unfinished', () => {
    const view = planView(example, live(merged(...STREAM_1, ...STREAM_2, 'testing-integration')));
    expect(view.streams[2]).toMatchObject({ finished: true, unmerged: [] });
  });

  it('keeps waiting for a stream reached only through another, finished one', () => {
    const plan = planShapeSchema.parse({
      agents: [
        { id: 'a', worktree: 'wa' },
        { id: 'b', worktree: 'wb' },
        { id: 'c', worktree: 'wc' },
      ],
      streams: [
        { id: 's1', agents: ['a'] },
        { id: 's2', agents: ['b'], dependsOn: ['s1'] },
        { id: 's3', agents: ['c'], dependsOn: ['s2'] },
      ],
    });
    const row = planView(plan, live(merged('wb'))).rows.find((r) => r.agent === 'c');
    expect(row?.blockedBy).toEqual(['s1']);
  });

  it('does not make a worktree wait for a stream it is part of itself', () => {
    const plan = planShapeSchema.parse({
      agents: [{ id: 'a', worktree: 'wa' }],
      streams: [
        { id: 's1', agents: ['a'] },
        { id: 's2', worktrees: ['wa'], dependsOn: ['s1'] },
      ],
    });
    expect(planView(plan, new Map()).rows[0]).toMatchObject({
      streams: ['s1', 's2'],
      blockedBy: [],
    });
  });

  it('terminates on a plan whose streams wait for each other', () => {
    const plan = planShapeSchema.parse({
      agents: [
        { id: 'a', worktree: 'wa' },
        { id: 'b', worktree: 'wb' },
      ],
      streams: [
        { id: 's1', agents: ['a'], dependsOn: ['s2'] },
        { id: 's2', agents: ['b'], dependsOn: ['s1'] },
      ],
    });
    expect(planView(plan, new Map()).rows.map((r) => r.blockedBy)).toEqual([['s2'], ['s1']]);
  });
});

describe('claim blockers', () => {
  it('has nothing to say about a worktree the plan does not name', () => {
    expect(claimBlockers(example, new Map(), 'hotfix')).toEqual({
      status: 'unplanned',
      worktree: 'hotfix',
    });
  });

  it('lets a stream 1 worktree be claimed at once', () => {
    expect(claimBlockers(example, new Map(), '03a-foundation')).toEqual({
      status: 'clear',
      worktree: '03a-foundation',
      agents: ['agent-1'],
      streams: ['stream-1'],
    });
  });

  it('names the blocking streams and their unmerged worktrees', () => {
    const result = claimBlockers(example, live(merged('03a-foundation')), 'testing-integration');
    expect(result).toEqual({
      status: 'blocked',
      worktree: 'testing-integration',
      agents: ['agent-7'],
      streams: ['stream-3'],
      blockers: [
        {
          stream: 'stream-1',
          title: 'Critical Architectural Fixes (Week 1)',
          unmerged: ['03b-binary-manager', '02-feature-flags'],
        },
        { stream: 'stream-2', title: 'Foundation Corrections (Week 2)', unmerged: STREAM_2 },
      ],
    });
    if (result.status === 'blocked') {
      expect(describeBlocker(result.blockers[0]!)).toBe(
        'stream-1 (Critical Architectural Fixes (Week 1)): 03b-binary-manager, 02-feature-flags not merged',
      );
    }
  });

  it('clears a worktree once the streams it waits for are merged', () => {
    const state = live(merged(...STREAM_1, ...STREAM_2));
    expect(claimBlockers(example, state, 'testing-integration').status).toBe('clear');
  });
});

/** Small random plans, cycles and unknown references included, checked against an oracle. */
const randomPlan = fc
  .record({
    agents: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }),
    streams: fc.array(
      fc.record({
        agents: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
        dependsOn: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
      }),
      { maxLength: 5 },
    ),
    merged: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  })
  .map(({ agents, streams, merged: done }) => {
    const input: PlanInput = {
      agents: agents.map((n) => ({ id: `a${n}`, worktree: `w${n}` })),
      streams: streams.map((s, i) => ({
        id: `s${i}`,
        agents: s.agents.map((n) => `a${n}`),
        dependsOn: s.dependsOn.map((n) => `s${n}`),
      })),
    };
    const state = new Map<string, WorktreeLive>(
      done.map((m, n) => [`w${n}`, { ...created, merged: m }]),
    );
    return { plan: planShapeSchema.parse(input), state };
  });

describe('plan view properties', () => {
  it('waits for exactly the unfinished streams reachable from its own, and claim agrees', () => {
    fc.assert(
      fc.property(randomPlan, ({ plan, state }) => {
        const ids = plan.streams.map((s) => s.id);
        const worktreesOf = (id: string) =>
          plan.streams
            .filter((s) => s.id === id)
            .flatMap((s) => s.agents)
            .filter((a) => plan.agents.some((p) => p.id === a))
            .map((a) => `w${a.slice(1)}`);
        const finished = (id: string) => worktreesOf(id).every((w) => state.get(w)?.merged);
        const reach = (from: string, seen = new Set<string>()): Set<string> => {
          for (const d of plan.streams.find((s) => s.id === from)?.dependsOn ?? []) {
            if (ids.includes(d) && !seen.has(d)) reach(d, seen.add(d));
          }
          return seen;
        };
        for (const row of planView(plan, state).rows) {
          const own = ids.filter((id) => worktreesOf(id).includes(row.worktree));
          const expected = ids.filter(
            (id) => !own.includes(id) && !finished(id) && own.some((o) => reach(o).has(id)),
          );
          expect(row.blockedBy).toEqual([...new Set(expected)]);
          const claim = claimBlockers(plan, state, row.worktree);
          const blockers = claim.status === 'blocked' ? claim.blockers.map((b) => b.stream) : [];
          expect(blockers).toEqual(row.blockedBy);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
