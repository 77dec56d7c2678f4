import { chmodSync, existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FETCH_LOCK, FETCH_STAMP, fetchOnce } from '../../src/sync/fetch-once.js';
import { tryLock } from '../../src/util/lock.js';
import { git, makeRepo } from '../helpers/repo.js';
import { advanceRemote } from '../helpers/fixtures.js';

describe('fetchOnce', () => {
  it('takes over a lock left by a killed process once it has gone stale', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    const lock = path.join(commonDir, FETCH_LOCK);
    // What a SIGKILLed holder leaves: the lock directory, no longer refreshed.
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const result = await fetchOnce(commonDir, repo.main, 'origin', 'main', { timeoutMs: 5000 });
    expect(result.fetched).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(path.join(commonDir, FETCH_STAMP))).toBe(true);
  });

  it('waits for a live holder and gives up with a message that names the lock', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    const lock = path.join(commonDir, FETCH_LOCK);
    const release = await tryLock(lock);
    expect(release).not.toBeNull();
    let waited = false;
    await expect(
      fetchOnce(commonDir, repo.main, 'origin', 'main', {
        timeoutMs: 300,
        pollMs: 20,
        onWait: () => {
          waited = true;
        },
      }),
    ).rejects.toThrow(/tmc-orch-fetch\.lock.*delete the lock if no tmc-orch is running/);
    expect(waited).toBe(true);
    // A live holder's lock is never removed.
    expect(existsSync(lock)).toBe(true);
    await release?.();
    expect(existsSync(lock)).toBe(false);
  });

  it('never serves a run with a fetch that finished before it started', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    expect((await fetchOnce(commonDir, repo.main, 'origin', 'main')).fetched).toBe(true);
    // The remote moves right after: the next run must see it, however soon it comes.
    const moved = await advanceRemote(repo);
    expect((await fetchOnce(commonDir, repo.main, 'origin', 'main')).fetched).toBe(true);
    expect(await git(repo.main, 'rev-parse', 'refs/remotes/origin/main')).toBe(moved);
  });

  it('shares one fetch among the runs that were waiting when it started', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    const lock = path.join(commonDir, FETCH_LOCK);
    const release = await tryLock(lock);
    const waiting = Array.from({ length: 4 }, () =>
      fetchOnce(commonDir, repo.main, 'origin', 'main', { pollMs: 20 }),
    );
    await new Promise((r) => setTimeout(r, 200));
    await release?.();
    const results = await Promise.all(waiting);
    expect(results.filter((r) => r.fetched)).toHaveLength(1);
    expect(results.every((r) => r.error === null)).toBe(true);
  });

  it('reports a failed fetch instead of throwing, and shares the failure with the runs waiting', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    await git(repo.main, 'remote', 'set-url', 'origin', path.join(repo.root, 'nowhere.git'));
    const lock = path.join(commonDir, FETCH_LOCK);
    const release = await tryLock(lock);
    const waiting = Array.from({ length: 3 }, () =>
      fetchOnce(commonDir, repo.main, 'origin', 'main', { pollMs: 20 }),
    );
    await new Promise((r) => setTimeout(r, 200));
    await release?.();
    const results = await Promise.all(waiting);
    for (const r of results) expect(r.error).toMatch(/does not appear to be a git repository/);
    expect(results.filter((r) => r.fetched)).toHaveLength(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('says so when the remote has no such branch', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    const result = await fetchOnce(commonDir, repo.main, 'origin', 'nope');
    expect(result).toEqual({ fetched: false, error: expect.stringMatching(/no branch nope/) });
  });

  it('stops a fetch that takes longer than its timeout', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    // A remote that accepts the connection and then says nothing, as a dead network can.
    const hang = path.join(repo.root, 'hang.sh');
    writeFileSync(hang, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(hang, 0o755);
    await git(repo.main, 'config', 'remote.origin.uploadpack', hang);
    const started = Date.now();
    const result = await fetchOnce(commonDir, repo.main, 'origin', 'main', {
      fetchTimeoutMs: 1000,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.fetched).toBe(false);
    expect(result.error).toMatch(/timed out after 1 s/);
  });
});
