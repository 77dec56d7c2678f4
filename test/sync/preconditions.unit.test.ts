import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimSummary } from '../../src/claims/record.js';
import {
  blockedBefore,
  blockedByChanges,
  type WorktreeFacts,
} from '../../src/sync/preconditions.js';

const HEAD = 'a'.repeat(40);
const wt = { name: 'w1', path: '/wt/w1', branch: 'feat', head: HEAD };
const free: WorktreeFacts = { claim: null, operation: null, twins: [], headHasHistory: false };
const claimBy = (agent: string): ClaimSummary => ({
  agent,
  task: 'controller fixes',
  since: '2025-01-14T09:14:00.000Z',
  stale: false,
});
const clean = { staged: 0, unstaged: 0, untracked: 0, unmerged: 0 };
const NOW = new Date('2025-01-14T12:00:00.000Z');
const decide = (w: Parameters<typeof blockedBefore>[0], agent: string, facts: WorktreeFacts) =>
  blockedBefore(w, agent, facts, NOW);

describe('the sync preconditions', () => {
  it('lets a free worktree on a branch with commits through', () => {
    expect(decide(wt, 'agent-1', free)).toBeNull();
  });

  it("skips a worktree claimed by another agent, before anything else, and not one's own", () => {
    const busy = { ...free, operation: { kind: 'merge' as const, ours: false }, twins: ['/x'] };
    expect(decide(wt, 'agent-1', { ...busy, claim: claimBy('agent-2') })).toMatchObject({
      code: 'claimed',
      reason: expect.stringMatching(
        /^claimed by agent-2 since 09:14 UTC \(task: controller fixes\)/,
      ),
    });
    expect(decide(wt, 'agent-1', { ...busy, claim: claimBy('agent-1') })?.code).toBe('operation');
  });

  it('tells a sync of its own left in progress from an operation of the user', () => {
    const ours = decide(wt, 'a', { ...free, operation: { kind: 'rebase', ours: true } });
    expect(ours).toMatchObject({ code: 'operation', operation: 'rebase' });
    expect(ours?.reason).toContain('run tmc-orch sync w1');
    const theirs = decide(wt, 'a', { ...free, operation: { kind: 'merge', ours: false } });
    expect(theirs).toMatchObject({ code: 'operation', operation: 'merge' });
    expect(theirs?.reason).toContain('git -C /wt/w1 merge --abort');
  });

  it('skips a detached HEAD, saying where it is', () => {
    expect(decide({ ...wt, branch: null }, 'a', free)).toMatchObject({
      code: 'detached',
      reason: expect.stringContaining(`at ${HEAD.slice(0, 10)}`),
    });
  });

  it('skips a branch checked out in another worktree too, naming it', () => {
    expect(decide(wt, 'a', { ...free, twins: ['/wt/other'] })).toMatchObject({
      code: 'shared-branch',
      reason: expect.stringContaining('git -C /wt/other switch <branch>'),
    });
  });

  it('tells a deleted branch from an unborn one by the history of HEAD', () => {
    const noCommit = { ...wt, head: null };
    expect(decide(noCommit, 'a', { ...free, headHasHistory: true })?.code).toBe('branch-deleted');
    expect(decide(noCommit, 'a', free)?.code).toBe('unborn');
  });

  it('never blocks on a claim of the acting agent', () => {
    const facts = fc.record({
      operation: fc.option(
        fc.record({
          kind: fc.constantFrom('rebase' as const, 'merge' as const),
          ours: fc.boolean(),
        }),
      ),
      twins: fc.array(fc.constantFrom('/wt/a', '/wt/b'), { maxLength: 2 }),
      headHasHistory: fc.boolean(),
    });
    const worktrees = fc.record({
      name: fc.constant('w1'),
      path: fc.constant('/wt/w1'),
      branch: fc.option(fc.constant('feat')),
      head: fc.option(fc.constant(HEAD)),
    });
    fc.assert(
      fc.property(worktrees, facts, (w, f) => {
        const own = decide(w, 'agent-1', { ...f, claim: claimBy('agent-1') });
        expect(own).toEqual(decide(w, 'agent-1', { ...f, claim: null }));
        expect(decide(w, 'agent-1', { ...f, claim: claimBy('agent-2') })?.code).toBe('claimed');
      }),
    );
  });
});

describe('uncommitted changes as a precondition', () => {
  it('blocks on staged, unstaged or unmerged changes, naming them', () => {
    expect(blockedByChanges(wt, { ...clean, staged: 1 })).toMatchObject({
      code: 'dirty',
      reason: expect.stringContaining('git -C /wt/w1 commit -a'),
    });
    expect(blockedByChanges(wt, { ...clean, unmerged: 2 })?.code).toBe('dirty');
  });

  it('lets untracked files alone through', () => {
    expect(blockedByChanges(wt, { ...clean, untracked: 3 })).toBeNull();
    expect(blockedByChanges(wt, clean)).toBeNull();
  });
});
