import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { claimBlob, lockOf, logLines } from '../helpers/claims.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import type { TestRepo } from '../helpers/repo.js';

/**
 * Real processes racing on one claim ref. Rounds are bounded to keep the suite fast on two
 * cores; bench/claims.mjs runs 100 rounds.
 */
const ROUNDS = Number(process.env.TMC_RACE_ROUNDS ?? 10);
const CLAIMERS = 20;

function spawnCli(repo: TestRepo, agent: string, args: string[]): ResultPromise {
  return execa(process.execPath, [BIN, ...args], {
    cwd: repo.main,
    env: { TMC_AGENT: agent },
    reject: false,
  });
}

async function race(
  repo: TestRepo,
  runs: { agent: string; args: string[] }[],
): Promise<{ agent: string; exitCode: number; stderr: string }[]> {
  const results = await Promise.all(runs.map((r) => spawnCli(repo, r.agent, r.args)));
  return results.map((r, i) => ({
    agent: runs[i]?.agent ?? '',
    exitCode: r.exitCode ?? -1,
    stderr: String(r.stderr),
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lockFilesLeft(repo: TestRepo): string[] {
  const dir = path.join(repo.main, '.git', 'refs', 'tmc-orch', 'claims');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lock')) : [];
}

describe('claim races (real processes)', () => {
  it(`${CLAIMERS} claimers at once: exactly one winner, every round`, async () => {
    const repo = await repoWithWorktrees(['w1']);
    for (let round = 0; round < ROUNDS; round++) {
      const runs = Array.from({ length: CLAIMERS }, (_, i) => ({
        agent: `agent-${round}-${i}`,
        args: ['claim', 'w1', '--task', `round ${round}`],
      }));
      const results = await race(repo, runs);
      const winners = results.filter((r) => r.exitCode === 0);
      expect(winners, `round ${round}`).toHaveLength(1);
      const losers = results.filter((r) => r.exitCode !== 0);
      for (const loser of losers) {
        expect(loser.exitCode, loser.stderr).toBe(1);
        expect(loser.stderr).toContain(`claimed by ${winners[0]?.agent}`);
      }
      const winner = winners[0]?.agent ?? '';
      expect((await claimBlob(repo, 'w1'))?.agent).toBe(winner);
      expect(await lockOf(repo, 'w1')).toBe(`claimed by ${winner}: round ${round}`);
      const released = await runCli(['release', 'w1'], {
        cwd: repo.main,
        env: { TMC_AGENT: winner },
      });
      expect(released.exitCode, released.stderr).toBe(0);
    }
    const claimedLines = logLines(repo).filter((l) => / claimed \(/.test(l));
    expect(claimedLines).toHaveLength(ROUNDS);
    expect(lockFilesLeft(repo)).toEqual([]);
  }, 300_000);

  it('10 stealers of a stale claim: one winner', async () => {
    const repo = await repoWithWorktrees(['w1']);
    for (let round = 0; round < 3; round++) {
      await runCli(['claim', 'w1', '--ttl', '300ms', '--force'], {
        cwd: repo.main,
        env: { TMC_AGENT: `owner-${round}` },
      });
      await sleep(400);
      const results = await race(
        repo,
        Array.from({ length: 10 }, (_, i) => ({
          agent: `stealer-${round}-${i}`,
          args: ['claim', 'w1', '--steal-stale', '--ttl', '1h'],
        })),
      );
      const winners = results.filter((r) => r.exitCode === 0);
      expect(winners, `round ${round}`).toHaveLength(1);
      for (const loser of results.filter((r) => r.exitCode !== 0)) {
        expect(loser.exitCode, loser.stderr).toBe(1);
      }
      expect((await claimBlob(repo, 'w1'))?.agent).toBe(winners[0]?.agent);
      const takeOvers = logLines(repo).filter((l) =>
        l.includes(`took over stale claim of owner-${round} `),
      );
      expect(takeOvers).toHaveLength(1);
      expect(takeOvers[0]).toContain(`${winners[0]?.agent} [w1]`);
    }
  });

  it('release racing a steal: one consistent outcome', async () => {
    const repo = await repoWithWorktrees(['w1']);
    for (let round = 0; round < 4; round++) {
      await runCli(['claim', 'w1', '--ttl', '300ms', '--force'], {
        cwd: repo.main,
        env: { TMC_AGENT: 'owner' },
      });
      await sleep(400);
      const [release, steal] = await race(repo, [
        { agent: 'owner', args: ['release', 'w1'] },
        { agent: 'stealer', args: ['claim', 'w1', '--steal-stale', '--ttl', '1h'] },
      ]);
      // Either order ends with the stealer holding the claim: after a release it claims a free
      // worktree; after its take-over the owner's release is refused.
      expect(steal?.exitCode, steal?.stderr).toBe(0);
      expect([0, 1]).toContain(release?.exitCode);
      if (release?.exitCode === 1) expect(release.stderr).toContain('claimed by stealer');
      expect((await claimBlob(repo, 'w1'))?.agent).toBe('stealer');
      expect(await lockOf(repo, 'w1')).toBe('claimed by stealer');
    }
  });

  it('claim racing worktree remove: never both succeed, and no claim outlives its worktree', async () => {
    const repo = await repoWithWorktrees([]);
    const rounds = Number(process.env.TMC_RACE_ROUNDS ?? 25);
    const wt = path.join(repo.worktreeRoot, 'w1');
    const outcomes = { claimWon: 0, removeWon: 0 };
    for (let round = 0; round < rounds; round++) {
      if (!existsSync(wt)) {
        const added = await runCli(['worktree', 'add', 'w1', '--branch', `w1-${round}`], {
          cwd: repo.main,
        });
        expect(added.exitCode, added.stderr).toBe(0);
      }
      const [claim, remove] = await race(repo, [
        { agent: 'claimer', args: ['claim', 'w1', '--task', `round ${round}`] },
        { agent: 'remover', args: ['worktree', 'remove', 'w1'] },
      ]);
      const why = `round ${round}: claim ${claim?.exitCode} ${claim?.stderr}; remove ${remove?.exitCode} ${remove?.stderr}`;
      expect(
        [claim?.exitCode, remove?.exitCode].filter((c) => c === 0),
        why,
      ).toHaveLength(1);
      const claims = await runJson<{ claims: { worktree: string; orphaned: boolean }[] }>(
        ['claims'],
        { cwd: repo.main },
      );
      const live = claims.json.claims.filter((c) => !c.orphaned);
      if (remove?.exitCode === 0) {
        outcomes.removeWon++;
        expect(existsSync(wt), why).toBe(false);
        expect(live, why).toEqual([]);
        expect([1, 2], why).toContain(claim?.exitCode);
      } else {
        outcomes.claimWon++;
        expect(remove?.exitCode, why).toBe(1);
        expect(remove?.stderr, why).toContain('claimed by claimer');
        expect(existsSync(wt), why).toBe(true);
        expect((await claimBlob(repo, 'w1'))?.agent, why).toBe('claimer');
        expect(await lockOf(repo, 'w1'), why).toBe(`claimed by claimer: round ${round}`);
        const released = await runCli(['release', 'w1'], {
          cwd: repo.main,
          env: { TMC_AGENT: 'claimer' },
        });
        expect(released.exitCode, released.stderr).toBe(0);
      }
    }
    console.log(`claim vs remove over ${rounds} rounds:`, outcomes);
    expect(lockFilesLeft(repo)).toEqual([]);
  }, 300_000);

  it('three worktree removes of one worktree at once: one removes it, the others say so, no claim is left', async () => {
    const repo = await repoWithWorktrees([]);
    const rounds = Number(process.env.TMC_RACE_ROUNDS ?? 6);
    const wt = path.join(repo.worktreeRoot, 'w1');
    for (let round = 0; round < rounds; round++) {
      const added = await runCli(['worktree', 'add', 'w1', '--branch', `w1-${round}`], {
        cwd: repo.main,
      });
      expect(added.exitCode, added.stderr).toBe(0);
      // Claimed or not: a claimed worktree's removal swaps the claim first.
      if (round % 2 === 0) {
        const claimed = await runCli(['claim', 'w1'], {
          cwd: repo.main,
          env: { TMC_AGENT: 'remover' },
        });
        expect(claimed.exitCode, claimed.stderr).toBe(0);
      }
      const results = await race(
        repo,
        Array.from({ length: 3 }, () => ({ agent: 'remover', args: ['worktree', 'remove', 'w1'] })),
      );
      const why = `round ${round}: ${results.map((r) => `${r.exitCode} ${r.stderr}`).join(' | ')}`;
      expect(results.filter((r) => r.exitCode === 0).length, why).toBeGreaterThanOrEqual(1);
      // A loser that listed the worktree says it was removed meanwhile (1); one that started after
      // the removal finished finds no such worktree (2). Both leave everything as it is.
      for (const r of results.filter((r) => r.exitCode !== 0)) {
        const late = r.exitCode === 2 && r.stderr.includes('no worktree named "w1"');
        const lost = r.exitCode === 1 && r.stderr.includes('removed meanwhile');
        expect(late || lost, why).toBe(true);
      }
      expect(existsSync(wt), why).toBe(false);
      expect(await claimBlob(repo, 'w1'), why).toBeNull();
    }
    expect(lockFilesLeft(repo)).toEqual([]);
  }, 300_000);

  it('SIGKILL in the middle of claims leaves a whole claim or none; the next command works', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const agents = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const children = Array.from({ length: 12 }, (_, i) => {
        const agent = `killed-${round}-${i}`;
        agents.add(agent);
        return spawnCli(repo, agent, ['claim', 'w1', '--force', '--task', 'doomed']);
      });
      await Promise.all(
        children.map(async (child, i) => {
          await sleep(80 + ((i * 53 + round * 31) % 400));
          child.kill('SIGKILL');
          await child;
        }),
      );
      const blob = await claimBlob(repo, 'w1');
      if (blob !== null) expect(agents.has(blob.agent as string)).toBe(true);
      const claims = await runJson<{ claims: unknown[] }>(['claims'], { cwd: repo.main });
      expect(claims.exitCode).toBe(0);
    }
    // A killed git could leave a ref lock only if killed itself; tmc-orch's kill leaves none.
    expect(lockFilesLeft(repo)).toEqual([]);
    const next = await runJson<{ action: string }>(['claim', 'w1', '--force', '--task', 'after'], {
      cwd: repo.main,
      env: { TMC_AGENT: 'survivor' },
    });
    expect(next.exitCode, next.stderr).toBe(0);
    expect((await claimBlob(repo, 'w1'))?.agent).toBe('survivor');
    expect(await lockOf(repo, 'w1')).toBe('claimed by survivor: after');
  });
});
