import { existsSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FETCH_LOCK, FETCH_STAMP, fetchOnce } from '../../src/status/fetch-once.js';
import { tryLock } from '../../src/util/lock.js';
import { git, makeRepo } from '../helpers/repo.js';

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
    expect(Number(readFileSync(path.join(commonDir, FETCH_STAMP), 'utf8'))).toBeGreaterThan(0);
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

  it('skips the fetch when one finished within the window, and fetches again after it', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    expect((await fetchOnce(commonDir, repo.main, 'origin', 'main')).fetched).toBe(true);
    expect((await fetchOnce(commonDir, repo.main, 'origin', 'main')).fetched).toBe(false);
    expect((await fetchOnce(commonDir, repo.main, 'origin', 'main', { freshMs: 0 })).fetched).toBe(
      true,
    );
    await git(repo.main, 'rev-parse', 'origin/main');
  });
});
