import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { heartbeatDue } from '../../src/claims/renew.js';
import { claimBlob } from '../helpers/claims.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import { git } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';

const t0 = new Date('2030-01-14T09:00:00.000Z');
const at = (minutes: number) => () => new Date(t0.getTime() + minutes * 60_000);
const as = (agent: string) => ({ env: { TMC_AGENT: agent } });

describe('heartbeatDue', () => {
  it('is due after a tenth of the TTL, at most five minutes', () => {
    const record = { heartbeat: t0.toISOString(), ttlMs: 60 * 60_000 };
    expect(heartbeatDue(record, at(4.9)())).toBe(false);
    expect(heartbeatDue(record, at(5)())).toBe(true);
    const short = { heartbeat: t0.toISOString(), ttlMs: 10 * 60_000 };
    expect(heartbeatDue(short, at(0.9)())).toBe(false);
    expect(heartbeatDue(short, at(1)())).toBe(true);
  });
});

describe('claims on an injected clock', () => {
  it("renews the owner's heartbeat once it is due, at the command's time", async () => {
    const repo = await repoWithWorktrees(['w1']);
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1', '--ttl', '1h'], { cwd: wt, now: at(0), ...as('agent-1') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(t0.toISOString());
    await runIn(['worktree', 'list'], { cwd: wt, now: at(4), ...as('agent-1') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(t0.toISOString());
    await runIn(['worktree', 'list'], { cwd: wt, now: at(6), ...as('agent-2') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(t0.toISOString());
    await runIn(['worktree', 'list'], { cwd: wt, now: at(6), ...as('agent-1') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(at(6)().toISOString());
  });

  it('renews the heartbeat of a claim whose ref git has packed', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1', '--ttl', '1h'], { cwd: wt, now: at(0), ...as('agent-1') });
    await git(repo.main, 'pack-refs', '--all');
    await runIn(['lines', '--base', 'main'], { cwd: wt, now: at(6), ...as('agent-1') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(at(6)().toISOString());
  });

  it('a claim goes stale when the clock passes its TTL, and can then be taken over', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    await runIn(['claim', 'w1', '--ttl', '1h'], { cwd, now: at(0), ...as('agent-1') });
    const early = await runIn(['claim', 'w1', '--steal-stale'], {
      cwd,
      now: at(59),
      ...as('agent-2'),
    });
    expect(early.exitCode).toBe(1);
    const listed = await runJsonIn<{ claims: { stale: boolean }[] }>(['claims'], {
      cwd,
      now: at(61),
    });
    expect(listed.json.claims[0]?.stale).toBe(true);
    const stolen = await runJsonIn<{ action: string }>(['claim', 'w1', '--steal-stale'], {
      cwd,
      now: at(61),
      ...as('agent-2'),
    });
    expect(stolen.json.action).toBe('took-over-stale');
    expect((await claimBlob(repo, 'w1'))?.since).toBe(at(61)().toISOString());
  });
});
