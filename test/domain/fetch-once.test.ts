import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { FETCH_LOCK, FETCH_STAMP, fetchOnce } from '../../src/status/fetch-once.js';
import { git, makeRepo } from '../helpers/repo.js';

async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid as number;
}

describe('fetchOnce', () => {
  it('takes over the lock of a process that died holding it', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    const lock = path.join(commonDir, FETCH_LOCK);
    writeFileSync(
      lock,
      JSON.stringify({ pid: await deadPid(), host: os.hostname(), time: Date.now() }),
    );
    const result = await fetchOnce(commonDir, repo.main, 'origin', 'main', { timeoutMs: 5000 });
    expect(result.fetched).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(Number(readFileSync(path.join(commonDir, FETCH_STAMP), 'utf8'))).toBeGreaterThan(0);
  });

  it('waits for a live holder and gives up with a message that names the lock', async () => {
    const repo = await makeRepo({ remote: true });
    const commonDir = path.join(repo.main, '.git');
    const lock = path.join(commonDir, FETCH_LOCK);
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() }),
    );
    await expect(
      fetchOnce(commonDir, repo.main, 'origin', 'main', { timeoutMs: 300, pollMs: 20 }),
    ).rejects.toThrow(/tmc-orch-fetch\.lock.*delete the lock file if no tmc-orch is running/);
    // A live holder's lock is never removed.
    expect(existsSync(lock)).toBe(true);
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
