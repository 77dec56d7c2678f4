import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideClaim, decideRelease, decideRemoval, type Seen } from '../../src/claims/decision.js';
import type { Claim } from '../../src/claims/record.js';

const agents = fc.constantFrom('agent-1', 'agent-2', 'unknown');
const claims: fc.Arbitrary<Claim | null> = fc.option(
  fc
    .record({
      agent: agents,
      stale: fc.boolean(),
      orphaned: fc.boolean(),
      removing: fc.boolean(),
    })
    .map((c) => ({
      worktree: 'w1',
      task: null,
      since: '2025-01-14T09:14:00.000Z',
      heartbeat: '2025-01-14T09:14:00.000Z',
      expires: '2025-01-15T09:14:00.000Z',
      path: c.orphaned ? null : '/wt/w1',
      ...c,
    })),
);
const requests = fc.record({ agent: agents, stealStale: fc.boolean(), force: fc.boolean() });
const seens = fc.constantFrom<Seen>('same', 'changed', 'was-free');

describe('the claim decision', () => {
  it("takes over another agent's live claim only as asked, and only the claim seen first", () => {
    fc.assert(
      fc.property(claims, requests, seens, (current, request, seen) => {
        const d = decideClaim(current, request, seen);
        if (d.kind !== 'take-over') return;
        expect(current).not.toBeNull();
        expect(current?.agent).not.toBe(request.agent);
        expect(current?.orphaned).toBe(false);
        expect(seen).toBe('same');
        if (d.how === 'stale') expect(request.stealStale && current?.stale).toBe(true);
        else expect(request.force).toBe(true);
        // A removal in progress is never forced over, only taken over once stale.
        if (current?.removing) expect(d.how).toBe('stale');
      }),
    );
  });

  it('a free worktree or an orphaned claim is claimed; an own claim renewed unless removing', () => {
    fc.assert(
      fc.property(claims, requests, seens, (current, request, seen) => {
        const d = decideClaim(current, request, seen);
        if (current === null || current.orphaned) expect(d.kind).toBe('claim');
        else if (current.agent === request.agent) {
          expect(d.kind).toBe(current.removing ? 'refuse' : 'renew');
        } else expect(['take-over', 'refuse']).toContain(d.kind);
      }),
    );
  });

  it('release: own always, orphaned by anyone, others only with force and unchanged', () => {
    fc.assert(
      fc.property(claims, requests, seens, (current, request, seen) => {
        if (!current) return;
        const d = decideRelease(current, request, seen);
        if (d.kind === 'release' && d.how === 'forced') {
          expect(request.force && seen === 'same' && !current.orphaned).toBe(true);
        }
        if (current.agent !== request.agent && !current.orphaned && !request.force) {
          expect(d.kind).toBe('refuse');
        }
      }),
    );
  });

  it('a removal takes a free, orphaned or own claim and nothing else', () => {
    fc.assert(
      fc.property(claims, agents, (current, agent) => {
        const d = decideRemoval(current, agent);
        const mayTake = current === null || current.orphaned || current.agent === agent;
        expect(d.kind).toBe(mayTake ? 'take' : 'refuse');
      }),
    );
  });
});
