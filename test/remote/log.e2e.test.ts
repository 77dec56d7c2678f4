import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { cluster, type Machine } from '../helpers/fixtures.js';
import { commitFiles, git } from '../helpers/repo.js';
import { serverHook } from '../helpers/remote.js';

interface Entry {
  time: string;
  agent: string;
  message: string;
  source: string;
}

describe('remote coordination: the shared status log', () => {
  it('entries written concurrently on two machines appear once, in order, on both', async () => {
    const c = await cluster(2, []);
    const [a, b] = c.machines as [Machine, Machine];
    // Three processes of one agent per machine: they race on that agent's ref of the day.
    const writers = [
      ...[1, 2, 3].map((n) => ({ m: a, agent: 'alice', message: `alice ${n}` })),
      ...[1, 2, 3].map((n) => ({ m: b, agent: 'bob', message: `bob ${n}` })),
    ];
    const results = await Promise.all(
      writers.map((w) =>
        execa(process.execPath, [BIN, 'log', w.message], {
          cwd: w.m.main,
          env: { TMC_AGENT: w.agent },
          reject: false,
        }),
      ),
    );
    for (const r of results) {
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(String(r.stderr)).toBe('');
    }
    const views = [];
    for (const m of [a, b]) {
      const shown = await runJson<{ entries: Entry[] }>(['log', 'show'], {
        cwd: m.main,
        env: { TMC_AGENT: 'reader' },
      });
      expect(shown.exitCode, shown.stderr).toBe(0);
      const mine = shown.json.entries.filter((e) => e.source === 'agent');
      expect(mine.map((e) => e.message).sort()).toEqual(writers.map((w) => w.message).sort());
      const times = mine.map((e) => Date.parse(e.time));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      views.push(mine.map((e) => `${e.time} ${e.agent} ${e.message}`));
    }
    expect(views[0]).toEqual(views[1]);
    // Each machine's own file still receives its own entries, for cat and tail -f.
    const fileA = readFileSync(path.join(a.sharedDir, 'daily-status.log'), 'utf8');
    expect(fileA.split('\n').filter((l) => l.includes(' alice '))).toHaveLength(3);
    expect(fileA).not.toContain('bob');
  }, 120_000);
  it('one agent writing from two machines at once, ten processes each: no entry left unshared', async () => {
    const c = await cluster(2, []);
    const [a, b] = c.machines as [Machine, Machine];
    const writers = [a, b].flatMap((m) =>
      Array.from({ length: 10 }, (_, n) => ({ m, message: `${m.name} ${n}` })),
    );
    const results = await Promise.all(
      writers.map((w) =>
        execa(process.execPath, [BIN, 'log', w.message], {
          cwd: w.m.main,
          env: { TMC_AGENT: 'same-agent' },
          reject: false,
        }),
      ),
    );
    for (const r of results) {
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(String(r.stderr)).toBe('');
    }
    const shown = await runJson<{ entries: Entry[] }>(['log', 'show'], {
      cwd: a.main,
      env: { TMC_AGENT: 'reader' },
    });
    const messages = shown.json.entries.filter((e) => e.source === 'agent').map((e) => e.message);
    expect(messages.sort()).toEqual(writers.map((w) => w.message).sort());
  }, 180_000);

  it('a sync that logs a line per worktree shares them all with one listing and one push', async () => {
    const c = await cluster(2, ['w1', 'w2', 'w3']);
    const [a, b] = c.machines as [Machine, Machine];
    await commitFiles(b.main, { 'up.txt': 'up\n' }, 'main moves on');
    await git(b.main, 'push', '-q', 'origin', 'HEAD:main');
    const trace = path.join(c.repo.root, 'sync-trace');
    const synced = await runCli(['sync', '--all'], {
      cwd: a.main,
      env: { TMC_AGENT: 'alice', GIT_TRACE: trace },
    });
    expect(synced.exitCode, synced.stderr).toBe(0);
    const traced = readFileSync(trace, 'utf8').split('\n');
    // One listing of the claims, one of the log; one push for the four entries.
    expect(traced.filter((l) => / git ls-remote /.test(l))).toHaveLength(2);
    expect(traced.filter((l) => / git push /.test(l))).toHaveLength(1);
    const shown = await runJson<{ entries: Entry[] }>(['log', 'show'], {
      cwd: b.main,
      env: { TMC_AGENT: 'reader' },
    });
    const entries = shown.json.entries.filter(
      (e) => e.agent === 'alice' && e.source === 'tmc-orch',
    );
    expect(entries).toHaveLength(4);
  }, 120_000);

  it('a host that refuses the log refs is named at once, with the fallback config', async () => {
    const c = await cluster(1, [], { remoteCoordination: { timeout: '5s' } });
    const [a] = c.machines as [Machine];
    serverHook(
      c,
      'pre-receive',
      'while read old new ref; do case "$ref" in refs/heads/*) ;; *) exit 1;; esac; done',
    );
    const trace = path.join(c.repo.root, 'log-trace');
    const logged = await runCli(['log', 'hello'], {
      cwd: a.main,
      env: { TMC_AGENT: 'alice', GIT_TRACE: trace },
    });
    expect(logged.exitCode, logged.stderr).toBe(0);
    expect(logged.stderr).toContain('refuses refs under refs/tmc-orch/');
    expect(logged.stderr).toContain('"namespace": "refs/heads/tmc-orch/"');
    const pushes = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => / git push /.test(l));
    expect(pushes).toHaveLength(1);
    expect(readFileSync(path.join(a.sharedDir, 'daily-status.log'), 'utf8')).toContain('hello');
  }, 60_000);
});
