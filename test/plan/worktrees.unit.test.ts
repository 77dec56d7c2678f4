import { describe, expect, it } from 'vitest';
import { planShapeSchema } from '../../src/plan/schema.js';
import {
  awaitedBy,
  awaitedWorktrees,
  planName,
  plannedWorktrees,
} from '../../src/plan/worktrees.js';

/** stream-1 (agent-1 in w1) ← stream-2 (agent-2 in w2, and w4) ← stream-3 (agent-3 in w3). */
const plan = planShapeSchema.parse({
  agents: [
    { id: 'agent-1', worktree: 'w1' },
    { id: 'agent-2', worktree: 'w2' },
    { id: 'agent-3', worktree: 'w3' },
    { id: 'agent-8', worktree: 'main' },
  ],
  streams: [
    { id: 'stream-1', agents: ['agent-1'] },
    { id: 'stream-2', agents: ['agent-2'], worktrees: ['w4'], dependsOn: ['stream-1'] },
    { id: 'stream-3', agents: ['agent-3'], dependsOn: ['stream-2'] },
  ],
});

describe('the worktrees a plan names', () => {
  it('calls the main worktree "main", whatever its folder', () => {
    expect(planName({ main: true, name: 'repo' })).toBe('main');
    expect(planName({ main: false, name: 'w1' })).toBe('w1');
  });

  it("lists the agents' and the streams' worktrees once each", () => {
    expect(plannedWorktrees(plan).sort()).toEqual(['main', 'w1', 'w2', 'w3', 'w4']);
  });

  it('knows which worktrees some stream waits for', () => {
    expect([...awaitedWorktrees(plan)].sort()).toEqual(['w1', 'w2', 'w4']);
  });

  it("finds what a worktree's streams wait for, through the streams they wait for", () => {
    expect([...awaitedBy(plan, 'w3')].sort()).toEqual(['w1', 'w2', 'w4']);
    expect([...awaitedBy(plan, 'w4')]).toEqual(['w1']);
    expect([...awaitedBy(plan, 'w1')]).toEqual([]);
  });
});
