import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Claim } from '../../src/claims/record.js';
import { runIn, runJsonIn } from '../helpers/run.js';
import { ageClaim, claimBlob, editClaim, lockOf, logLines, snapshot } from '../helpers/claims.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import { git, tempDir, writeFile } from '../helpers/repo.js';

type ClaimJson = Claim;

const as = (agent: string) => ({ env: { TMC_AGENT: agent } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('claim / release / claims', () => {
  it('claims, renews idempotently, refuses others, and mirrors into git worktree lock', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    const first = await runJsonIn<{ action: string; claim: ClaimJson }>(
      ['claim', 'w1', '--task', 'controller fixes'],
      { cwd, ...as('agent-1') },
    );
    expect(first.exitCode).toBe(0);
    expect(first.json.action).toBe('claimed');
    expect(first.json.claim).toMatchObject({ worktree: 'w1', agent: 'agent-1', stale: false });
    expect(await lockOf(repo, 'w1')).toBe('claimed by agent-1: controller fixes');

    const again = await runJsonIn<{ action: string; claim: ClaimJson }>(['claim', 'w1'], {
      cwd,
      ...as('agent-1'),
    });
    expect(again.json.action).toBe('renewed');
    expect(again.json.claim.since).toBe(first.json.claim.since);
    expect(again.json.claim.task).toBe('controller fixes');

    const other = await runIn(['claim', 'w1'], { cwd, ...as('agent-2') });
    expect(other.exitCode).toBe(1);
    expect(other.stderr).toMatch(
      /worktree "w1" is claimed by agent-1 since \d\d:\d\d UTC \(task: controller fixes\)/,
    );
    expect(other.stderr).toContain('--force');

    const list = await runJsonIn<{ claims: ClaimJson[] }>(['claims'], { cwd });
    expect(list.json.claims).toEqual([
      expect.objectContaining({ worktree: 'w1', agent: 'agent-1' }),
    ]);

    const wtList = await runJsonIn<{ worktrees: { name: string; claim: ClaimJson | null }[] }>(
      ['worktree', 'list'],
      { cwd },
    );
    expect(wtList.json.worktrees.map((w) => [w.name, w.claim?.agent ?? null])).toEqual([
      ['repo', null],
      ['w1', 'agent-1'],
    ]);
    const human = await runIn(['worktree', 'list'], { cwd });
    expect(human.stdout).toMatch(/w1 .*agent-1/);

    const refused = await runIn(['release', 'w1'], { cwd, ...as('agent-2') });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('release w1 --force');

    const released = await runJsonIn<{ released: boolean }>(['release', 'w1'], {
      cwd,
      ...as('agent-1'),
    });
    expect(released.json.released).toBe(true);
    expect(await claimBlob(repo, 'w1')).toBeNull();
    expect(await lockOf(repo, 'w1')).toBeNull();
    const none = await runJsonIn<{ released: boolean }>(['release', 'w1'], {
      cwd,
      ...as('agent-1'),
    });
    expect(none.exitCode).toBe(0);
    expect(none.json.released).toBe(false);

    expect(logLines(repo).map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'agent-1 [w1] (tmc-orch) claimed (task: controller fixes, ttl 24h)',
      'agent-1 [w1] (tmc-orch) released',
    ]);
  });

  it('takes over a stale claim with --steal-stale and any claim with --force, logging both', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    expect((await runIn(['claim', 'w1', '--ttl', '1h'], { cwd, ...as('agent-1') })).exitCode).toBe(
      0,
    );
    const notYet = await runIn(['claim', 'w1', '--steal-stale', '--ttl', '1h'], {
      cwd,
      ...as('agent-2'),
    });
    expect(notYet.exitCode).toBe(1);
    // Time is moved, not waited for: the heartbeat is now 2 h old, twice the TTL.
    await ageClaim(repo, 'w1', 2 * 3_600_000);
    const stale = await runJsonIn<{ claims: ClaimJson[] }>(['claims'], { cwd });
    expect(stale.json.claims[0]?.stale).toBe(true);
    expect((await runIn(['claims'], { cwd })).stdout).toContain('stale');

    const stolen = await runJsonIn<{ action: string; previous: ClaimJson }>(
      ['claim', 'w1', '--steal-stale', '--ttl', '1h', '--task', 'rescue'],
      { cwd, ...as('agent-2') },
    );
    expect(stolen.exitCode).toBe(0);
    expect(stolen.json.action).toBe('took-over-stale');
    expect(stolen.json.previous.agent).toBe('agent-1');
    expect(await lockOf(repo, 'w1')).toBe('claimed by agent-2: rescue');

    const forced = await runJsonIn<{ action: string }>(['claim', 'w1', '--force'], {
      cwd,
      ...as('agent-3'),
    });
    expect(forced.json.action).toBe('forced');
    expect((await claimBlob(repo, 'w1'))?.agent).toBe('agent-3');
    expect(await lockOf(repo, 'w1')).toBe('claimed by agent-3');

    const forcedRelease = await runIn(['release', 'w1', '--force'], { cwd, ...as('agent-1') });
    expect(forcedRelease.exitCode).toBe(0);
    expect(await claimBlob(repo, 'w1')).toBeNull();

    const log = logLines(repo).join('\n');
    expect(log).toMatch(/agent-2 \[w1\] \(tmc-orch\) took over stale claim of agent-1/);
    expect(log).toMatch(/agent-3 \[w1\] \(tmc-orch\) forced take-over of agent-2/);
    expect(log).toMatch(/agent-1 \[w1\] \(tmc-orch\) force-released the claim of agent-3/);
  });

  it("renews the owner's heartbeat on any command run in the worktree, and only the owner's", async () => {
    const repo = await repoWithWorktrees(['w1']);
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1', '--ttl', '2s'], { cwd: wt, ...as('agent-1') });
    const before = (await claimBlob(repo, 'w1'))?.heartbeat;
    await sleep(300);
    await runIn(['claims'], { cwd: wt, ...as('agent-2') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(before);
    await runIn(['claims'], { cwd: repo.main, ...as('agent-1') });
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(before);
    await runIn(['worktree', 'list'], { cwd: wt, ...as('agent-1') });
    const after = (await claimBlob(repo, 'w1'))?.heartbeat as string;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before as string));
    // A refused command is still the owner at work; bad input changes nothing, not even this.
    await sleep(300);
    const bad = await runIn(['log', 'show', '--date', 'yesterday'], { cwd: wt, ...as('agent-1') });
    expect(bad.exitCode).toBe(2);
    expect((await claimBlob(repo, 'w1'))?.heartbeat).toBe(after);
    const refused = await runIn(['worktree', 'add', 'w1'], { cwd: wt, ...as('agent-1') });
    expect(refused.exitCode).toBe(1);
    const afterRefusal = (await claimBlob(repo, 'w1'))?.heartbeat as string;
    expect(Date.parse(afterRefusal)).toBeGreaterThan(Date.parse(after));
  });

  it('worktree remove refuses a worktree claimed by another agent; the owner removes and releases', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    await runIn(['claim', 'w1', '--task', 'mine'], { cwd, ...as('agent-1') });
    const refused = await runIn(['worktree', 'remove', 'w1', '--force'], {
      cwd,
      ...as('agent-2'),
    });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('claimed by agent-1');
    expect(await claimBlob(repo, 'w1')).not.toBeNull();

    const removed = await runIn(['worktree', 'remove', 'w1'], { cwd, ...as('agent-1') });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await claimBlob(repo, 'w1')).toBeNull();
    expect(await git(cwd, 'worktree', 'list')).not.toContain('w1');
    expect(logLines(repo).at(-1)).toMatch(
      /agent-1 \[w1\] \(tmc-orch\) released \(worktree removed\)$/,
    );
  });

  it('worktree remove that git refuses keeps the claim, its lock and the log as they were', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1', '--task', 'mine'], { cwd, ...as('agent-1') });
    // git refuses to remove a worktree holding a submodule, clean or not.
    await git(wt, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', cwd, 'sub');
    await git(wt, 'commit', '-q', '-m', 'submodule');
    const before = await snapshot(repo);

    const failed = await runIn(['worktree', 'remove', 'w1'], { cwd, ...as('agent-1') });
    expect(failed.exitCode, failed.stderr).toBe(1);
    expect(failed.stderr).toContain('submodule deinit');
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(await claimBlob(repo, 'w1')).toMatchObject({ agent: 'agent-1', task: 'mine' });
    expect(await lockOf(repo, 'w1')).toBe('claimed by agent-1: mine');
    expect(await snapshot(repo)).toEqual(before);
  });

  it('worktree remove of a claimed worktree whose folder is gone drops it and the claim', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    await runIn(['claim', 'w1'], { cwd, ...as('agent-1') });
    rmSync(path.join(repo.worktreeRoot, 'w1'), { recursive: true, force: true });
    const listed = await runIn(['worktree', 'list'], { cwd });
    expect(listed.stdout).toMatch(/^w1 .*unreadable/m);
    const removed = await runIn(['worktree', 'remove', 'w1'], { cwd, ...as('agent-1') });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await git(cwd, 'worktree', 'list')).not.toContain('w1');
    expect(await claimBlob(repo, 'w1')).toBeNull();
  });

  it('bad input exits 2 with one line and changes nothing', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    await runIn(['claim', 'w1', '--task', 'keep'], { cwd, ...as('agent-1') });
    await runIn(['log', 'first entry'], { cwd, ...as('agent-1') });
    const before = await snapshot(repo);
    const cases: [string[], string][] = [
      [['claim', 'nope'], 'no worktree named "nope"'],
      [['claim', '../evil'], 'invalid worktree name'],
      [['release', 'nope'], 'no worktree named "nope"'],
      [['--agent', 'bad agent', 'claim', 'w1'], 'invalid agent id'],
      [['--agent', 'bad agent', 'log', 'hello'], 'invalid agent id'],
      [['claim', 'w1', '--ttl', '5x'], '--ttl "5x" is not a duration'],
      [['claim', 'w1', '--ttl', '0h'], '--ttl "0h" is zero'],
      [['claim', 'w1', '--task', 'two\nlines'], '--task must be one line'],
      [['log', ''], 'the log message is empty'],
      [['log', '   '], 'the log message is empty'],
      [['log', 'hi', '--worktree', 'nope'], 'no worktree named "nope"'],
      [['log', 'show', '--date', '2025-13-01'], 'is not a date'],
      [['log', 'show', '--all', '--since', '2h'], 'exclude each other'],
    ];
    for (const [args, message] of cases) {
      const result = await runIn(args, { cwd, ...as('agent-1') });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const json = await runJsonIn(['claim', 'w1', '--ttl', 'soon'], { cwd, ...as('agent-1') });
    expect(json.exitCode).toBe(2);
    expect(json.json).toMatchObject({ error: { code: 'usage', exitCode: 2 } });
    expect(await snapshot(repo)).toBe(before);
  });
});

describe('a ref lock left by a killed git', () => {
  it('makes claim fail with exit 1, naming the lock file to delete; after that it works', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const dir = path.join(repo.main, '.git', 'refs', 'tmc-orch', 'claims');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'w1.lock'), '');
    const stuck = await runIn(['claim', 'w1'], { cwd: repo.main, ...as('agent-1') });
    expect(stuck.exitCode).toBe(1);
    expect(stuck.stderr).toContain(path.join(dir, 'w1.lock'));
    expect(stuck.stderr).toContain('delete that file and retry');
    rmSync(path.join(dir, 'w1.lock'));
    expect((await runIn(['claim', 'w1'], { cwd: repo.main, ...as('agent-1') })).exitCode).toBe(0);
  });
});

describe('log / log show', () => {
  it('appends entries for the current worktree and shows them with hand-written lines', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const wt = path.join(repo.worktreeRoot, 'w1');
    expect(
      (await runIn(['log', 'working', 'on', 'it'], { cwd: wt, ...as('agent-1') })).exitCode,
    ).toBe(0);
    await runIn(['log', 'about w1', '--worktree', 'w1'], { cwd: repo.main, ...as('agent-2') });
    await runIn(['log', 'in main'], { cwd: repo.main, ...as('agent-2') });
    const { appendFileSync } = await import('node:fs');
    appendFileSync(
      path.join(repo.sharedDir, 'daily-status.log'),
      'Agent 3: Working on docs in w1\n',
    );
    const shown = await runJsonIn<{
      entries: { agent: string; worktree: string; message: string; kind: string }[];
    }>(['log', 'show'], { cwd: wt });
    expect(shown.json.entries.map((e) => [e.agent, e.worktree, e.message, e.kind])).toEqual([
      ['agent-1', 'w1', 'working on it', 'entry'],
      ['agent-2', 'w1', 'about w1', 'entry'],
      ['agent-2', 'repo', 'in main', 'entry'],
      ['Agent 3', 'w1', 'Working on docs in w1', 'text'],
    ]);
    const byAgent = await runJsonIn<{ entries: unknown[] }>(['log', 'show', '--agent', 'agent-3'], {
      cwd: wt,
    });
    expect(byAgent.json.entries).toHaveLength(1);
    // The global --agent before the command names who is acting; it filters nothing.
    const acting = await runJsonIn<{ entries: unknown[] }>(['--agent', 'agent-1', 'log', 'show'], {
      cwd: wt,
    });
    expect(acting.json.entries).toHaveLength(4);
    const both = await runJsonIn<{ entries: unknown[] }>(
      ['--agent', 'agent-1', 'log', 'show', '--agent=agent-2'],
      { cwd: wt },
    );
    expect(both.json.entries).toHaveLength(2);
    const byWorktree = await runJsonIn<{ entries: unknown[] }>(
      ['log', 'show', '--worktree', 'w1'],
      {
        cwd: wt,
      },
    );
    expect(byWorktree.json.entries).toHaveLength(3);
    const other = await runJsonIn<{ entries: unknown[] }>(['log', 'show', '--date', '2000-01-01'], {
      cwd: wt,
    });
    expect(other.json.entries).toHaveLength(0);
    const human = await runIn(['log', 'show'], { cwd: wt });
    expect(human.stdout).toContain('(by hand)');
    expect(human.stdout).toContain('working on it');
  });
});

describe('claim durations', () => {
  it('claims.ttl in the config takes the units --ttl takes, with the same message for each problem', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    const config = path.join(cwd, '.tmc-orch.json');
    for (const ttl of ['2w', '90m', '36h', '1500ms']) {
      writeFileSync(config, JSON.stringify({ claims: { ttl } }));
      const viaConfig = await runIn(['claim', 'w1', '--force'], { cwd, ...as('agent-1') });
      expect(viaConfig.exitCode, `${ttl}: ${viaConfig.stderr}`).toBe(0);
      writeFileSync(config, '{}');
      const viaFlag = await runIn(['claim', 'w1', '--force', '--ttl', ttl], {
        cwd,
        ...as('agent-1'),
      });
      expect(viaFlag.exitCode, `${ttl}: ${viaFlag.stderr}`).toBe(0);
    }
    for (const ttl of ['0h', '400d', '5x', '1.5h', '']) {
      writeFileSync(config, '{}');
      const viaFlag = await runIn(['claim', 'w1', '--ttl', ttl], { cwd, ...as('agent-1') });
      expect(viaFlag.exitCode, ttl).toBe(2);
      const problem = viaFlag.stderr.replace(/^tmc-orch: --ttl "[^"]*" /, '').trim();
      writeFileSync(config, JSON.stringify({ claims: { ttl } }));
      const viaConfig = await runIn(['claims'], { cwd, ...as('agent-1') });
      expect(viaConfig.exitCode, ttl).toBe(2);
      expect(viaConfig.stderr, ttl).toContain(
        `claims.ttl: ${JSON.stringify(ttl)} ${problem.replace(/\.$/, '')}`,
      );
    }
  });
});

describe('agent identity', () => {
  /** No --agent, no TMC_AGENT, and an empty per-user config folder. */
  const anonymous = () => ({ env: { TMC_AGENT: '', XDG_CONFIG_HOME: tempDir() } });

  it('claim, release, log and removing a claimed worktree need an agent id; exit 2 says how to set one', async () => {
    const repo = await repoWithWorktrees(['w1', 'w2']);
    const cwd = repo.main;
    const nobody = anonymous();
    const userFile = path.join(nobody.env.XDG_CONFIG_HOME, 'tmc-orch', 'config.json');
    const before = await snapshot(repo);
    for (const args of [
      ['claim', 'w1'],
      ['release', 'w1'],
      ['log', 'hello'],
    ]) {
      const result = await runJsonIn(args, { cwd, ...nobody });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.json).toMatchObject({ error: { code: 'usage', exitCode: 2 } });
      expect(result.stderr).toContain('--agent <id>');
      expect(result.stderr).toContain('TMC_AGENT=<id>');
      expect(result.stderr).toContain(userFile);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(await snapshot(repo)).toBe(before);

    await runIn(['claim', 'w1', '--task', 'mine'], { cwd, ...as('agent-1') });
    const claimedBefore = await snapshot(repo);
    const remove = await runIn(['worktree', 'remove', 'w1', '--force'], { cwd, ...nobody });
    expect(remove.exitCode, remove.stderr).toBe(2);
    expect(remove.stderr).toContain('TMC_AGENT=<id>');
    expect(await snapshot(repo)).toBe(claimedBefore);

    // Read-only commands keep the default id, and so does removing an unclaimed worktree.
    for (const args of [
      ['claims'],
      ['worktree', 'list'],
      ['status', '--no-conflicts'],
      ['log', 'show'],
    ]) {
      const result = await runIn(args, { cwd, ...nobody });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const unclaimed = await runIn(['worktree', 'remove', 'w2'], { cwd, ...nobody });
    expect(unclaimed.exitCode, unclaimed.stderr).toBe(0);
  });

  it("two agents of one machine without ids are not one agent renewing the other one's claim", async () => {
    const repo = await repoWithWorktrees(['w1']);
    const first = await runIn(['claim', 'w1'], { cwd: repo.main, ...anonymous() });
    const second = await runIn(['claim', 'w1'], { cwd: repo.main, ...anonymous() });
    expect([first.exitCode, second.exitCode]).toEqual([2, 2]);
    expect(await claimBlob(repo, 'w1')).toBeNull();
  });

  it('reads the id from the per-user config file; TMC_AGENT and --agent come first', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    const home = tempDir();
    // XDG_CONFIG_HOME empty: ~/.config, as the XDG spec says.
    const env = { TMC_AGENT: '', XDG_CONFIG_HOME: '', HOME: home };
    writeFile(home, '.config/tmc-orch/config.json', JSON.stringify({ agent: 'agent-9' }));
    const fromFile = await runJsonIn<{ claim: ClaimJson }>(['claim', 'w1'], { cwd, env });
    expect(fromFile.exitCode, fromFile.stderr).toBe(0);
    expect(fromFile.json.claim.agent).toBe('agent-9');
    const fromEnv = await runIn(['claim', 'w1'], { cwd, env: { ...env, TMC_AGENT: 'agent-2' } });
    expect(fromEnv.stderr).toContain('claimed by agent-9');
    const fromFlag = await runIn(['--agent', 'agent-9', 'release', 'w1'], {
      cwd,
      env: { ...env, TMC_AGENT: 'agent-2' },
    });
    expect(fromFlag.exitCode, fromFlag.stderr).toBe(0);
  });

  it.each([
    [JSON.stringify({ agent: 'bad agent' }), 'agent:'],
    [JSON.stringify({ agnet: 'agent-1' }), 'agnet'],
    [JSON.stringify({ agent: 7 }), 'agent:'],
    ['{ "agent": ', 'invalid JSON'],
  ])(
    'an invalid per-user config file %s is exit 2 naming the file and the problem',
    async (text, problem) => {
      const repo = await repoWithWorktrees(['w1']);
      const xdg = tempDir();
      writeFile(xdg, 'tmc-orch/config.json', text);
      const before = await snapshot(repo);
      const result = await runIn(['claim', 'w1'], {
        cwd: repo.main,
        env: { TMC_AGENT: '', XDG_CONFIG_HOME: xdg },
      });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(path.join(xdg, 'tmc-orch', 'config.json'));
      expect(result.stderr).toContain(problem);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(await snapshot(repo)).toBe(before);
    },
  );
});

describe('claim records that cannot be read', () => {
  it('a record with out-of-range numbers is a stale claim by unknown; every command keeps working', async () => {
    const repo = await repoWithWorktrees(['w1', 'w2', 'w3', 'w4']);
    const cwd = repo.main;
    for (const name of ['w1', 'w2', 'w3', 'w4']) {
      await runIn(['claim', name], { cwd, ...as('agent-1') });
    }
    await editClaim(repo, 'w1', (r) => ({ ...r, ttlMs: 1e308 }));
    await editClaim(repo, 'w2', (r) => ({ ...r, heartbeat: '+275760-09-13T00:00:00.000Z' }));
    await editClaim(repo, 'w3', (r) => ({ ...r, ttlMs: -5 }));
    await editClaim(repo, 'w4', (r) => ({ ...r, since: 'yesterday', agent: 'a\u001b[31mb' }));

    const claims = await runJsonIn<{ claims: ClaimJson[] }>(['claims'], { cwd });
    expect(claims.exitCode, claims.stderr).toBe(0);
    expect(claims.json.claims.map((c) => [c.worktree, c.agent, c.stale])).toEqual([
      ['w1', 'unknown', true],
      ['w2', 'unknown', true],
      ['w3', 'unknown', true],
      ['w4', 'unknown', true],
    ]);
    for (const args of [
      ['claims'],
      ['worktree', 'list'],
      ['status', '--no-conflicts'],
      ['--json', 'status'],
      ['sync', '--all'],
      ['sync'],
    ]) {
      const result = await runIn(args, { cwd, ...as('agent-2') });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const refused = await runIn(['claim', 'w1'], { cwd, ...as('agent-2') });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('--steal-stale');
    const stolen = await runJsonIn<{ action: string }>(['claim', 'w1', '--steal-stale'], {
      cwd,
      ...as('agent-2'),
    });
    expect(stolen.exitCode, stolen.stderr).toBe(0);
    expect(stolen.json.action).toBe('took-over-stale');
  });
});

describe('a claim does not outlive its worktree', () => {
  it('removed with plain git, the claim is orphaned; the next worktree add of that name starts unclaimed', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1', '--task', 'old work'], { cwd, ...as('agent-1') });
    // The claim's lock mirror needs --force twice.
    await git(cwd, 'worktree', 'remove', '--force', '--force', wt);

    const orphaned = await runJsonIn<{ claims: ClaimJson[] }>(['claims'], { cwd });
    expect(orphaned.json.claims).toEqual([
      expect.objectContaining({ worktree: 'w1', agent: 'agent-1', orphaned: true }),
    ]);
    expect((await runIn(['claims'], { cwd })).stdout).toMatch(/w1 .*orphaned/);

    const added = await runJsonIn<{ warnings: string[] }>(['worktree', 'add', 'w1'], { cwd });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json.warnings).toEqual([
      expect.stringMatching(
        /^dropped the claim of agent-1 \(since (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\) left by an earlier worktree w1/,
      ),
    ]);
    const list = await runJsonIn<{ worktrees: { name: string; claim: ClaimJson | null }[] }>(
      ['worktree', 'list'],
      { cwd },
    );
    expect(list.json.worktrees.find((w) => w.name === 'w1')?.claim).toBeNull();
    // The old owner's heartbeat does not bring the claim back to life in the new worktree.
    await runIn(['worktree', 'list'], { cwd: wt, ...as('agent-1') });
    const taken = await runJsonIn<{ action: string }>(['claim', 'w1'], { cwd, ...as('agent-2') });
    expect(taken.exitCode, taken.stderr).toBe(0);
    expect(taken.json.action).toBe('claimed');
    expect(await lockOf(repo, 'w1')).toBe('claimed by agent-2');
  });

  it('the same holds when plain git re-creates the worktree at the same path', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const cwd = repo.main;
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1'], { cwd, ...as('agent-1') });
    await git(cwd, 'worktree', 'remove', '--force', '--force', wt);
    await git(cwd, 'worktree', 'add', '-q', wt, 'w1');
    const claims = await runJsonIn<{ claims: ClaimJson[] }>(['claims'], { cwd });
    expect(claims.json.claims).toEqual([
      expect.objectContaining({ worktree: 'w1', orphaned: true }),
    ]);
    const again = await runJsonIn<{ action: string }>(['claim', 'w1'], { cwd, ...as('agent-1') });
    expect(again.json.action).toBe('claimed');
  });

  it('worktree remove run inside the worktree removes it and releases the claim', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const wt = path.join(repo.worktreeRoot, 'w1');
    await runIn(['claim', 'w1'], { cwd: wt, ...as('agent-1') });
    const removed = await runJsonIn<{ removed: boolean }>(['worktree', 'remove', 'w1'], {
      cwd: wt,
      ...as('agent-1'),
    });
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await git(repo.main, 'worktree', 'list')).not.toContain('w1');
    expect(await claimBlob(repo, 'w1')).toBeNull();
    expect(logLines(repo).at(-1)).toMatch(
      /agent-1 \[w1\] \(tmc-orch\) released \(worktree removed\)$/,
    );
  });
});

describe('worktree names two worktrees share', () => {
  it('are bad input for every command that takes a name: exit 2 lists both paths, nothing changes', async () => {
    const repo = await repoWithWorktrees(['b']);
    const cwd = repo.main;
    const ours = path.join(repo.worktreeRoot, 'b');
    await runIn(['claim', 'b', '--task', 'mine'], { cwd, ...as('agent-1') });
    // Someone else makes a worktree of the same folder name with plain git, elsewhere.
    const theirs = path.join(repo.root, 'elsewhere', 'b');
    await git(cwd, 'worktree', 'add', '-q', '-b', 'b2', theirs);
    writeFile(theirs, 'uncommitted.txt', 'theirs\n');
    const before = await snapshot(repo);
    for (const args of [
      ['claim', 'b'],
      ['release', 'b'],
      ['worktree', 'remove', 'b', '--force'],
      ['sync', 'b'],
      ['log', 'hi', '--worktree', 'b'],
    ]) {
      for (const agent of ['agent-1', 'agent-2']) {
        const result = await runIn(args, { cwd, ...as(agent) });
        expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(ours);
        expect(result.stderr).toContain(theirs);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
    }
    expect(await snapshot(repo)).toBe(before);
    expect(existsSync(path.join(theirs, 'uncommitted.txt'))).toBe(true);

    // The claim stays with the worktree it was taken on.
    const list = await runJsonIn<{
      worktrees: { name: string; path: string; claim: ClaimJson | null }[];
    }>(['worktree', 'list'], { cwd });
    // In git's order, which is its admin dirs' order: compare as a set.
    const byPath = (rows: (string | null)[][]) =>
      rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byPath(list.json.worktrees.map((w) => [w.path, w.claim?.agent ?? null]))).toEqual(
      byPath([
        [cwd, null],
        [ours, 'agent-1'],
        [theirs, null],
      ]),
    );
    const status = await runJsonIn<{
      worktrees: { path: string; claim: { agent: string } | null }[];
    }>(['status', '--no-conflicts'], { cwd });
    expect(byPath(status.json.worktrees.map((w) => [w.path, w.claim?.agent ?? null]))).toEqual(
      byPath([
        [cwd, null],
        [ours, 'agent-1'],
        [theirs, null],
      ]),
    );
  });
});
