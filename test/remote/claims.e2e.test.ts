import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { git } from '../helpers/repo.js';
import { cluster, type Cluster, type Machine } from '../helpers/fixtures.js';
import { freePort, remoteRef, serverHook, setOrigin, startDaemon } from '../helpers/remote.js';

/**
 * Remote coordination between machines: clones of one bare remote, each with its own worktree
 * w1, racing real processes for the claim over the local transport and over git daemon.
 */
const ROUNDS = Number(process.env.TMC_RACE_ROUNDS ?? 3);
const CLAIMERS = 10;
const REF = 'refs/tmc-orch/claims/w1';

function cli(m: Machine, agent: string, args: string[], env: Record<string, string> = {}) {
  return runCli(args, { cwd: m.main, env: { TMC_AGENT: agent, ...env } });
}

async function lockOf(m: Machine): Promise<string | null> {
  const out = await git(m.main, 'worktree', 'list', '--porcelain');
  const block = out.split('\n\n').find((b) => b.includes(`${m.worktreeRoot}/w1\n`));
  const line = block?.split('\n').find((l) => l === 'locked' || l.startsWith('locked '));
  return line === undefined ? null : line.slice('locked '.length);
}

async function localRef(m: Machine): Promise<string | null> {
  const r = await execa('git', ['rev-parse', '--verify', '-q', REF], {
    cwd: m.main,
    reject: false,
  });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

async function raceRounds(c: Cluster): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const runs = Array.from({ length: CLAIMERS }, (_, i) => ({
      machine: c.machines[i % c.machines.length] as Machine,
      agent: `agent-${round}-${i}`,
    }));
    const results = await Promise.all(
      runs.map((r) =>
        execa(process.execPath, [BIN, 'claim', 'w1', '--task', `round ${round}`], {
          cwd: r.machine.main,
          env: { TMC_AGENT: r.agent },
          reject: false,
        }),
      ),
    );
    const winners = runs.filter((_, i) => results[i]?.exitCode === 0);
    expect(
      winners.map((w) => w.agent),
      `round ${round}: ${results.map((r) => String(r.stderr)).join('\n')}`,
    ).toHaveLength(1);
    const winner = winners[0] as (typeof runs)[number];
    for (const [i, r] of results.entries()) {
      if (r.exitCode === 0) continue;
      expect(r.exitCode, String(r.stderr)).toBe(1);
      expect(String(r.stderr), runs[i]?.agent).toContain(`claimed by ${winner.agent}`);
    }
    const onRemote = await remoteRef(c, REF);
    expect(await git(c.remote, 'cat-file', '-t', onRemote ?? '')).toBe('commit');
    // The winner's clone mirrors the remote's answer: its ref and its git worktree lock.
    expect(await localRef(winner.machine)).toBe(onRemote);
    expect(await lockOf(winner.machine)).toBe(`claimed by ${winner.agent}: round ${round}`);
    const released = await cli(winner.machine, winner.agent, ['release', 'w1']);
    expect(released.exitCode, released.stderr).toBe(0);
    expect(await remoteRef(c, REF)).toBeNull();
    expect(await lockOf(winner.machine)).toBeNull();
  }
}

describe('remote claims: racing machines', () => {
  it(`${CLAIMERS} claimers on two clones over the local transport: one winner per round`, async () => {
    const c = await cluster(2, ['w1']);
    await raceRounds(c);
  }, 300_000);

  it(`${CLAIMERS} claimers on two clones over git daemon, a sleeping pre-receive: one winner`, async () => {
    const c = await cluster(2, ['w1']);
    serverHook(c, 'pre-receive', 'sleep 0.3');
    const daemon = await startDaemon(c);
    await setOrigin(c, daemon.url);
    await raceRounds(c);
  }, 300_000);
});

describe('remote claims: two machines', () => {
  it('a claim on one machine is refused on the other, naming the holder, and locks its copy', async () => {
    const c = await cluster(2, ['w1']);
    const [a, b] = c.machines as [Machine, Machine];
    expect((await cli(a, 'alice', ['claim', 'w1', '--task', 'api'])).exitCode).toBe(0);
    const refused = await cli(b, 'bob', ['claim', 'w1']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('claimed by alice');
    expect(await localRef(b)).toBe(await remoteRef(c, REF));
    expect(await lockOf(b)).toBe('claimed by alice: api');
    const listed = await runJson<{
      claims: { worktree: string; agent: string; orphaned: boolean }[];
    }>(['claims'], { cwd: b.main, env: { TMC_AGENT: 'bob' } });
    expect(listed.json.claims.map((x) => [x.worktree, x.agent, x.orphaned])).toEqual([
      ['w1', 'alice', false],
    ]);
  }, 60_000);

  it('a skewed clock within the allowance does not make a live claim stale elsewhere', async () => {
    const c = await cluster(2, ['w1']);
    const [a, b] = c.machines as [Machine, Machine];
    // alice's clock is 90 s slow: her fresh heartbeat looks 90 s old, past its 60 s TTL.
    const slow = { TMC_ORCH_CLOCK_OFFSET_MS: String(-90_000) };
    expect((await cli(a, 'alice', ['claim', 'w1', '--ttl', '1m'], slow)).exitCode).toBe(0);
    const steal = await cli(b, 'bob', ['claim', 'w1', '--steal-stale']);
    expect(steal.exitCode, steal.stderr).toBe(1);
    expect(steal.stderr).toContain('claimed by alice');
    // Past heartbeat + TTL + the 2 m allowance (bob's clock 4 min on), it is stale: taken over.
    const later = { TMC_ORCH_CLOCK_OFFSET_MS: String(4 * 60_000) };
    const took = await cli(b, 'bob', ['claim', 'w1', '--steal-stale'], later);
    expect(took.exitCode, took.stderr).toBe(0);
    expect(took.stdout).toContain('took over (stale) w1 from alice');
    // alice's machine follows: her renewal is refused, naming bob.
    const renew = await cli(a, 'alice', ['claim', 'w1'], slow);
    expect(renew.exitCode).toBe(1);
    expect(renew.stderr).toContain('claimed by bob');
    expect(await lockOf(a)).toBe('claimed by bob');
  }, 60_000);

  it('a clone at the same path on a host of the same name does not take a live claim as orphaned', async () => {
    // Two containers sharing a host name (host networking) and the path of their checkout.
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    expect((await cli(a, 'alice', ['claim', 'w1', '--task', 'api'])).exitCode).toBe(0);
    const config = readFileSync(path.join(a.main, '.tmc-orch.json'), 'utf8');
    renameSync(a.main, `${a.main}-first-container`);
    await git(c.repo.root, 'clone', '-q', c.remote, a.main);
    writeFileSync(path.join(a.main, '.tmc-orch.json'), config);
    await git(a.main, 'worktree', 'add', '-q', '-b', 'other-w1', `${a.worktreeRoot}-2/w1`);
    const taken = await cli(a, 'bob', ['claim', 'w1']);
    expect(taken.exitCode, taken.stdout).toBe(1);
    expect(taken.stderr).toContain('claimed by alice');
    const listed = await runJson<{ claims: { agent: string; orphaned: boolean }[] }>(['claims'], {
      cwd: a.main,
      env: { TMC_AGENT: 'bob' },
    });
    expect(listed.json.claims.map((x) => [x.agent, x.orphaned])).toEqual([['alice', false]]);
  }, 60_000);

  it("shows another machine's claim expiring when it goes stale here, skew allowance included", async () => {
    const c = await cluster(2, ['w1']);
    const [a, b] = c.machines as [Machine, Machine];
    expect((await cli(a, 'alice', ['claim', 'w1', '--ttl', '1m'])).exitCode).toBe(0);
    const lifetime = async (m: Machine) => {
      const listed = await runJson<{ claims: { heartbeat: string; expires: string }[] }>(
        ['claims'],
        { cwd: m.main, env: { TMC_AGENT: 'reader' } },
      );
      const [claim] = listed.json.claims;
      return Date.parse(claim?.expires ?? '') - Date.parse(claim?.heartbeat ?? '');
    };
    expect(await lifetime(a)).toBe(60_000);
    // The 2 m default allowance: --steal-stale on b works from then on, and not before.
    expect(await lifetime(b)).toBe(180_000);
  }, 60_000);

  it('lists 40 claims of another machine with a handful of git processes, not one per claim', async () => {
    const c = await cluster(2, []);
    const [a, b] = c.machines as [Machine, Machine];
    // 40 claims as another clone writes them: commits of the empty tree, pushed at once.
    const emptyTree = await git(a.main, 'hash-object', '-t', 'tree', '-w', '/dev/null');
    const now = new Date().toISOString();
    const refspecs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const record = { v: 2, worktree: `w${i}`, agent: `agent-${i}`, since: now, heartbeat: now };
      const message = `${JSON.stringify({ ...record, ttlMs: 3_600_000, clone: 'elsewhere' })}`;
      const oid = await git(a.main, 'commit-tree', emptyTree, '-m', message);
      refspecs.push(`${oid}:refs/tmc-orch/claims/w${i}`);
    }
    await git(a.main, 'push', '-q', 'origin', ...refspecs);
    for (const round of ['first', 'again']) {
      const trace = path.join(c.repo.root, `claims-trace-${round}`);
      const listed = await runJson<{ claims: unknown[] }>(['claims'], {
        cwd: b.main,
        env: { TMC_AGENT: 'reader', GIT_TRACE: trace },
      });
      expect(listed.json.claims).toHaveLength(40);
      const gits = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((l) => / trace: built-in: git /.test(l));
      expect(gits.length, `${round}:\n${gits.join('\n')}`).toBeLessThan(20);
    }
  }, 60_000);

  it('release with a stale expected value is refused by the server', async () => {
    const c = await cluster(2, ['w1']);
    const [a] = c.machines as [Machine, Machine];
    expect((await cli(a, 'alice', ['claim', 'w1'])).exitCode).toBe(0);
    const first = await remoteRef(c, REF);
    expect((await cli(a, 'alice', ['claim', 'w1', '--task', 'renewed'])).exitCode).toBe(0);
    const second = await remoteRef(c, REF);
    expect(second).not.toBe(first);
    const push = await execa(
      'git',
      ['push', '--porcelain', `--force-with-lease=${REF}:${first ?? ''}`, 'origin', `:${REF}`],
      { cwd: a.main, reject: false },
    );
    expect(push.exitCode).toBe(1);
    expect(await remoteRef(c, REF)).toBe(second);
  }, 60_000);

  it('a re-run after the claim landed but the local state was lost renews and mirrors it', async () => {
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    expect((await cli(a, 'alice', ['claim', 'w1'])).exitCode).toBe(0);
    const landed = await remoteRef(c, REF);
    await git(a.main, 'update-ref', '-d', REF);
    await git(a.main, 'worktree', 'unlock', `${a.worktreeRoot}/w1`);
    const again = await runJson<{ action: string }>(['claim', 'w1'], {
      cwd: a.main,
      env: { TMC_AGENT: 'alice' },
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json.action).toBe('renewed');
    expect(await localRef(a)).toBe(await remoteRef(c, REF));
    expect(await remoteRef(c, REF)).not.toBe(landed);
    expect(await lockOf(a)).toBe('claimed by alice');
  }, 60_000);
});

describe('remote claims: the network fails', () => {
  it('a network cut mid-push fails within bounds, changes nothing here, and a re-run claims', async () => {
    const c = await cluster(1, ['w1'], { remoteCoordination: { timeout: '10s' } });
    const [a] = c.machines as [Machine];
    const marker = path.join(c.repo.root, 'receiving');
    serverHook(c, 'pre-receive', `touch '${marker}'; sleep 5`);
    const daemon = await startDaemon(c);
    await setOrigin(c, daemon.url);
    const started = Date.now();
    const pending = cli(a, 'alice', ['claim', 'w1']);
    // Cut the network once the push is on the server, before it updates the ref.
    while (!existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));
    daemon.kill();
    const cut = await pending;
    expect(cut.exitCode, cut.stderr).toBe(1);
    expect(cut.stderr).toContain('could not push on remote origin');
    expect(cut.stderr).toContain('re-run the same command');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await remoteRef(c, REF)).toBeNull();
    expect(await localRef(a)).toBeNull();
    expect(await lockOf(a)).toBeNull();
    serverHook(c, 'pre-receive', 'exit 0');
    const back = await startDaemon(c, daemon.port);
    await setOrigin(c, back.url);
    const rerun = await runJson<{ action: string }>(['claim', 'w1'], {
      cwd: a.main,
      env: { TMC_AGENT: 'alice' },
    });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.json.action).toBe('claimed');
    expect(await localRef(a)).toBe(await remoteRef(c, REF));
  }, 90_000);

  it('a cut after the claim landed: the re-run says it landed, renews, and logs the claim once', async () => {
    const c = await cluster(1, ['w1'], { remoteCoordination: { timeout: '10s' } });
    const [a] = c.machines as [Machine];
    const marker = path.join(c.repo.root, 'landed');
    // The ref is updated; the cut comes before the answer reaches the client.
    serverHook(
      c,
      'reference-transaction',
      `[ "$1" = committed ] && touch '${marker}' && sleep 5; exit 0`,
    );
    const daemon = await startDaemon(c);
    await setOrigin(c, daemon.url);
    const pending = cli(a, 'alice', ['claim', 'w1', '--task', 'api']);
    while (!existsSync(marker)) await new Promise((resolve) => setTimeout(resolve, 20));
    daemon.kill();
    const cut = await pending;
    expect(cut.exitCode, cut.stderr).toBe(1);
    expect(cut.stderr).toContain('re-run the same command');
    const landed = await remoteRef(c, REF);
    expect(landed).not.toBeNull();
    serverHook(c, 'reference-transaction', 'exit 0');
    const back = await startDaemon(c, daemon.port);
    await setOrigin(c, back.url);
    const rerun = await runJson<{ action: string; warnings: string[] }>(['claim', 'w1'], {
      cwd: a.main,
      env: { TMC_AGENT: 'alice' },
    });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.json.action).toBe('renewed');
    expect(rerun.json.warnings.join('\n')).toContain('had landed on the remote');
    expect((await cli(a, 'alice', ['claim', 'w1'])).exitCode).toBe(0);
    const log = readFileSync(path.join(a.sharedDir, 'daily-status.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.includes('claimed (task: api'))).toHaveLength(1);
  }, 90_000);

  it('a remote that does not answer is a clear error within the timeout', async () => {
    const c = await cluster(1, ['w1'], { remoteCoordination: { timeout: '2s' } });
    const [a] = c.machines as [Machine];
    // A port that accepts connections and never speaks.
    const sockets: Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await setOrigin(c, `git://127.0.0.1:${port}/remote.git`);
      const started = Date.now();
      const r = await cli(a, 'alice', ['claim', 'w1']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('within 2 s');
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(await localRef(a)).toBeNull();
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 60_000);

  it('a refused connection fails at once with its cause; a missing remote is bad config', async () => {
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    await setOrigin(c, `git://127.0.0.1:${await freePort()}/remote.git`);
    const refused = await cli(a, 'alice', ['claims']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('could not list the refs on remote origin (');
    expect(refused.stderr).toContain('Connection refused');
    await git(a.main, 'remote', 'remove', 'origin');
    const missing = await cli(a, 'alice', ['claims']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(
      'which this clone does not have; add it (git remote add origin',
    );
  }, 60_000);

  it('--offline reads the mirrored claims with a warning and refuses changes', async () => {
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    expect((await cli(a, 'alice', ['claim', 'w1'])).exitCode).toBe(0);
    await setOrigin(c, `git://127.0.0.1:${await freePort()}/remote.git`);
    const read = await cli(a, 'alice', ['--offline', 'claims']);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toContain('alice');
    expect(read.stderr).toContain('--offline');
    const write = await cli(a, 'alice', ['--offline', 'release', 'w1']);
    expect(write.exitCode).toBe(2);
    expect(write.stderr).toContain('--offline can only read');
  }, 60_000);
});

describe('remote claims: --offline sync', () => {
  it('syncs onto the local copy of the base without fetching, and says so', async () => {
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    await setOrigin(c, `git://127.0.0.1:${await freePort()}/remote.git`);
    const trace = path.join(c.repo.root, 'offline-trace');
    const r = await runCli(['--offline', 'sync', '--all'], {
      cwd: a.main,
      env: { TMC_AGENT: 'alice', GIT_TRACE: trace },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('--offline: main was not fetched');
    const network = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => / git (fetch|ls-remote|push) /.test(l));
    expect(network).toEqual([]);
  }, 60_000);
});

describe('remote claims: heartbeats', () => {
  /** Runs a command without network of its own in w1 of `m`; the heartbeat pushes, if any. */
  async function inW1(m: Machine, agent: string, offsetMs: number) {
    const trace = path.join(m.sharedDir, `trace-${offsetMs}`);
    const r = await runCli(['path', 'w1'], {
      cwd: path.join(m.worktreeRoot, 'w1'),
      env: { TMC_AGENT: agent, TMC_ORCH_CLOCK_OFFSET_MS: String(offsetMs), GIT_TRACE: trace },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const traced = existsSync(trace) ? readFileSync(trace, 'utf8') : '';
    return {
      stderr: r.stderr,
      pushes: traced.split('\n').filter((l) => / git push /.test(l)).length,
    };
  }

  it('a renewal that lost to a take-over elsewhere follows the new holder and pushes no more', async () => {
    const c = await cluster(2, ['w1']);
    const [a, b] = c.machines as [Machine, Machine];
    mkdirSync(a.sharedDir, { recursive: true });
    // A TTL of 1 m renews every 6 s.
    expect((await cli(a, 'alice', ['claim', 'w1', '--ttl', '1m'])).exitCode).toBe(0);
    expect((await cli(b, 'bob', ['claim', 'w1', '--force'])).exitCode).toBe(0);
    expect((await inW1(a, 'alice', 30_000)).pushes).toBe(1);
    expect(await localRef(a)).toBe(await remoteRef(c, REF));
    expect(await lockOf(a)).toBe('claimed by bob');
    expect((await inW1(a, 'alice', 60_000)).pushes).toBe(0);
  }, 60_000);

  it('through a remote that hangs: one attempt per renewal interval, each a warning', async () => {
    const c = await cluster(1, ['w1'], { remoteCoordination: { timeout: '2s' } });
    const [a] = c.machines as [Machine];
    mkdirSync(a.sharedDir, { recursive: true });
    expect((await cli(a, 'alice', ['claim', 'w1', '--ttl', '1m'])).exitCode).toBe(0);
    const sockets: Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await setOrigin(c, `git://127.0.0.1:${port}/remote.git`);
      const first = await inW1(a, 'alice', 30_000);
      expect(first.pushes).toBe(1);
      expect(first.stderr).toContain('could not renew your claim on w1 through remote origin');
      expect(first.stderr).toContain('the next try is in 6s');
      // Within the interval of the last attempt: no push, no wait.
      expect(await inW1(a, 'alice', 33_000)).toEqual({ stderr: '', pushes: 0 });
      expect((await inW1(a, 'alice', 37_000)).pushes).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  }, 60_000);
});

describe('remote claims: a host that refuses custom refs', () => {
  it('is detected with the config to fall back on, and the fallback namespace works', async () => {
    const c = await cluster(1, ['w1']);
    const [a] = c.machines as [Machine];
    // Like hosts that accept only branches and tags.
    serverHook(
      c,
      'pre-receive',
      'while read old new ref; do case "$ref" in refs/heads/*|refs/tags/*) ;; *) echo "refusing $ref" >&2; exit 1;; esac; done',
    );
    const refused = await cli(a, 'alice', ['claim', 'w1']);
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('refuses refs under refs/tmc-orch/');
    expect(refused.stderr).toContain('"namespace": "refs/heads/tmc-orch/"');
    expect(await localRef(a)).toBeNull();
    const config = path.join(a.main, '.tmc-orch.json');
    const current = JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      config,
      JSON.stringify({ ...current, remoteCoordination: { namespace: 'refs/heads/tmc-orch/' } }),
    );
    const claimed = await cli(a, 'alice', ['claim', 'w1']);
    expect(claimed.exitCode, claimed.stderr).toBe(0);
    expect(await remoteRef(c, 'refs/heads/tmc-orch/claims/w1')).toBe(await localRef(a));
  }, 60_000);
});
