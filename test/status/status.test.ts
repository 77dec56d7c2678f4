import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { runCli, runJson } from '../helpers/cli.js';
import { commitFiles, git, makeRepo, tempDir, writeFile } from '../helpers/repo.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import { dirtyCountsOfEach } from '../../src/git/index.js';
import { defaultConcurrency } from '../../src/util/concurrency.js';

interface StatusJson {
  base: string;
  warnings: string[];
  parts: unknown[];
  worktrees: {
    name: string;
    main: boolean;
    branch: string | null;
    head: string | null;
    ahead: number | null;
    behind: number | null;
    dirty: { staged: number; unstaged: number; untracked: number } | null;
    operation: string | null;
    claim: unknown;
    lines: unknown;
    withinLimit: unknown;
    lastLog: unknown;
    problem: string | null;
    conflicts: {
      withBase: string[];
      withWorktrees: { name: string; files: string[] }[];
      overlap: { name: string; files: string[] }[];
      crowded: string[];
    } | null;
  }[];
}

const FILE = 'src/app.go';
const lines = (first: string) => `${first}\nline 2\nline 3\nline 4\nline 5\n`;

/** main, and worktrees a and b that edit the same line; c edits another file; d is idle. */
async function setup() {
  const files = { [FILE]: lines('line 1'), 'other.go': 'x\n' };
  const { wt, ...repo } = await repoWithWorktrees(['a', 'b', 'c', 'd'], { remote: true, files });
  await commitFiles(wt.a as string, { [FILE]: lines('line 1 by a') }, 'a');
  await commitFiles(wt.b as string, { [FILE]: lines('line 1 by b') }, 'b');
  await commitFiles(wt.c as string, { 'c.go': 'c\n' }, 'c');
  await commitFiles(wt.c as string, { 'c2.go': 'c\n' }, 'c2');
  return { repo, wt };
}

describe('tmc-orch status', () => {
  it('forecasts the conflict between two worktrees that edit the same lines', async () => {
    const { repo } = await setup();
    const { json, exitCode } = await runJsonIn<StatusJson>(['status'], { cwd: repo.main });
    expect(exitCode).toBe(0);
    expect(json.base).toBe('origin/main');
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    expect(w('a')?.conflicts?.withWorktrees).toEqual([{ name: 'b', files: [FILE] }]);
    expect(w('b')?.conflicts?.withWorktrees).toEqual([{ name: 'a', files: [FILE] }]);
    expect(w('a')?.conflicts?.overlap).toEqual([{ name: 'b', files: [FILE] }]);
    expect(w('c')?.conflicts).toEqual({
      withBase: [],
      withWorktrees: [],
      overlap: [],
      crowded: [],
    });
    expect(w('c')).toMatchObject({ ahead: 2, behind: 0, branch: 'c' });
    expect(w('d')).toMatchObject({ ahead: 0, behind: 0 });
    // The documented shape, exactly; fields other modules fill in are present and null.
    expect(Object.keys(json).sort()).toEqual([
      'base',
      'baseCommit',
      'fetched',
      'parts',
      'warnings',
      'worktrees',
    ]);
    expect(json.warnings).toEqual([]);
    // No stack recorded: no part without a worktree.
    expect(json.parts).toEqual([]);
    expect(Object.keys(w('a') ?? {}).sort()).toEqual(
      [
        'ahead',
        'behind',
        'branch',
        'claim',
        'conflicts',
        'dirty',
        'head',
        'integrated',
        'lastLog',
        'lines',
        'main',
        'name',
        'operation',
        'operationOwner',
        'parent',
        'goneParent',
        'path',
        'problem',
        'withinLimit',
      ].sort(),
    );
    // PR sizes as `tmc-orch lines` counts them: a's one edited line is +1 -1.
    expect(w('a')).toMatchObject({ lines: 2, withinLimit: true });
    expect(w('d')).toMatchObject({ lines: 0, withinLimit: true });
    for (const x of json.worktrees) {
      expect(x).toMatchObject({ claim: null, lastLog: null });
      expect(typeof x.lines).toBe('number');
    }
    const human = await runIn(['status'], { cwd: repo.main });
    expect(human.stdout).toMatch(/a ✗ b: src\/app\.go/);
  });

  it('reports conflicts with the base, overlaps that merge cleanly, ahead/behind and dirt', async () => {
    const { repo, wt } = await setup();
    // main moves on: conflicts with a and b on line 1; d overlaps c on c.go at another line.
    await commitFiles(repo.main, { [FILE]: lines('line 1 on main') }, 'main');
    await git(repo.main, 'push', '-q', 'origin', 'main');
    await commitFiles(wt.d as string, { 'c.go': 'c\n', 'c2.go': 'c\nmore\n' }, 'd');
    writeFile(wt.d as string, 'scratch.txt', 'x\n');
    writeFile(wt.d as string, 'other.go', 'edited\n');
    const { json } = await runJsonIn<StatusJson>(['status'], { cwd: repo.main });
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    expect(w('a')).toMatchObject({ ahead: 1, behind: 1 });
    expect(w('a')?.conflicts?.withBase).toEqual([FILE]);
    expect(w('c')?.conflicts?.withBase).toEqual([]);
    expect(w('d')?.dirty).toMatchObject({ staged: 0, unstaged: 1, untracked: 1 });
    expect(w('d')?.conflicts?.withWorktrees.map((x) => x.name)).toEqual(['c']);
    expect(w('d')?.conflicts?.withWorktrees[0]?.files).toEqual(['c2.go']);
    expect(w('d')?.conflicts?.overlap).toEqual([{ name: 'c', files: ['c.go', 'c2.go'] }]);
    expect(await git(repo.main, 'status', '--porcelain')).toBe('');
  });

  it('shows claims and the newest log entry, and one uncountable branch does not break it', async () => {
    const { repo, wt } = await setup();
    const agent = { env: { TMC_AGENT: 'agent-7' } };
    expect(
      (await runIn(['claim', 'a', '--task', 'fix it'], { cwd: repo.main, ...agent })).exitCode,
    ).toBe(0);
    expect((await runIn(['log', 'first'], { cwd: wt.a as string, ...agent })).exitCode).toBe(0);
    expect((await runIn(['log', 'newest'], { cwd: wt.a as string, ...agent })).exitCode).toBe(0);
    // c's branch starts over with history of its own: there is no PR against the base to count.
    // (A .generated_files the count cannot parse no longer does it: the base's rules judge.)
    const tree = await git(wt.c as string, 'rev-parse', 'HEAD^{tree}');
    const orphan = await git(wt.c as string, 'commit-tree', '-m', 'orphan', tree);
    await git(wt.c as string, 'reset', '-q', '--hard', orphan);

    const { json, exitCode, stderr } = await runJsonIn<StatusJson>(['status'], { cwd: repo.main });
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    expect(w('a')?.claim).toMatchObject({ agent: 'agent-7', task: 'fix it', stale: false });
    expect(w('a')?.lastLog).toMatchObject({ agent: 'agent-7', worktree: 'a', message: 'newest' });
    expect(w('b')).toMatchObject({ claim: null, lastLog: null, lines: 2, problem: null });
    expect(w('c')).toMatchObject({ lines: null, withinLimit: null });
    expect(w('c')?.problem).toMatch(/PR lines not counted: .* shares no history with the base/);

    const human = await runIn(['status'], { cwd: repo.main });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^a\s+a\s+agent-7 .*newest/m);
    expect(human.stderr).toMatch(/c: PR lines not counted: .* shares no history with the base/);
  });

  it("LAST LOG is the agent's newest entry, not tmc-orch's own claim and sync entries", async () => {
    const { repo, wt } = await setup();
    const agent = { env: { TMC_AGENT: 'agent-7' } };
    const a = wt.a as string;
    expect((await runIn(['log', 'parser rewrite'], { cwd: a, ...agent })).exitCode).toBe(0);
    // Both write entries for a after the agent's: "claimed …" and, the base having moved, the
    // sync's "updated …".
    expect((await runIn(['claim', 'a'], { cwd: a, ...agent })).exitCode).toBe(0);
    await commitFiles(repo.main, { 'moved.txt': 'moved\n' }, 'the base moves');
    await git(repo.main, 'push', '-q', 'origin', 'main');
    expect((await runIn(['sync'], { cwd: a, ...agent })).exitCode).toBe(0);
    const logged = readFileSync(path.join(repo.sharedDir, 'daily-status.log'), 'utf8');
    expect(logged.trimEnd().split('\n')).toHaveLength(3);

    const { json } = await runJsonIn<StatusJson>(['status'], { cwd: repo.main });
    expect(json.worktrees.find((x) => x.name === 'a')?.lastLog).toMatchObject({
      agent: 'agent-7',
      message: 'parser rewrite',
      source: 'agent',
    });
    const human = await runIn(['status'], { cwd: repo.main });
    expect(human.stdout).toMatch(/^a\s.*parser rewrite$/m);
  });

  it('a PR over the line limit is marked in words, not only in red', async () => {
    const { repo, wt } = await setup();
    const many = Array.from({ length: 700 }, (_, i) => `l${i}\n`).join('');
    await commitFiles(wt.d as string, { 'big.txt': many }, 'big');
    const human = await runIn(['status', '--no-conflicts'], { cwd: repo.main });
    expect(human.stdout).toMatch(/^d\s.*✗ 700 ≥ 700/m);
    expect(human.stdout).toMatch(/^c\s.*\s2\s/m);
  });

  it('--no-conflicts skips the forecast; without --fetch nothing is fetched', async () => {
    const { repo } = await setup();
    const clone = path.join(tempDir(), 'clone');
    await git(repo.root, 'clone', '-q', repo.remote as string, clone);
    const pushed = await commitFiles(clone, { 'new.go': 'n\n' }, 'pushed');
    await git(clone, 'push', '-q', 'origin', 'main');

    const quick = await runJsonIn<StatusJson>(['status', '--no-conflicts'], { cwd: repo.main });
    expect(quick.json.worktrees.every((x) => x.conflicts === null)).toBe(true);
    expect(quick.json.worktrees.find((x) => x.name === 'd')?.behind).toBe(0);
    expect(await git(repo.main, 'rev-parse', 'origin/main')).not.toBe(pushed);

    const fetched = await runJsonIn<StatusJson>(['status', '--fetch'], { cwd: repo.main });
    expect(fetched.json.worktrees.find((x) => x.name === 'd')?.behind).toBe(1);
    expect(await git(repo.main, 'rev-parse', 'origin/main')).toBe(pushed);
  });

  it('--fetch with the remote unreachable warns and shows the dashboard on the local base', async () => {
    const { repo } = await setup();
    const local = await git(repo.main, 'rev-parse', 'origin/main');
    await git(repo.main, 'remote', 'set-url', 'origin', path.join(repo.root, 'gone.git'));
    const json = await runJsonIn<StatusJson & { baseCommit: string | null; warnings: string[] }>(
      ['status', '--fetch', '--no-conflicts'],
      { cwd: repo.main },
    );
    expect(json.exitCode, json.stderr).toBe(0);
    expect(json.json.baseCommit).toBe(local);
    expect(json.json.warnings).toEqual([
      expect.stringMatching(/could not fetch main from origin.*using the local origin\/main/),
    ]);
    const human = await runIn(['status', '--fetch', '--no-conflicts'], { cwd: repo.main });
    expect(human.exitCode).toBe(0);
    expect(human.stderr).toMatch(/warning: could not fetch main from origin/);
  });
});

describe('tmc-orch status: the cost of the conflict forecast', () => {
  /**
   * The forecast's merges a status ran, from GIT_TRACE: the merge-tree processes but those that
   * merge a branch into the base (the integration check's, base first).
   */
  async function statusMerges(cwd: string, args: string[] = []) {
    const trace = path.join(tempDir(), 'trace.txt');
    const result = await runJson<StatusJson & { baseCommit: string }>(['status', ...args], {
      cwd,
      env: { GIT_TRACE: trace },
    });
    const merges = [
      ...readFileSync(trace, 'utf8').matchAll(/trace: built-in: git merge-tree .* (\S+) (\S+)$/gm),
    ].filter((m) => m[1] !== result.json.baseCommit);
    return { ...result, merges: merges.length };
  }

  it("reads each worktree's own changes in fewer git processes than worktrees, from any of them", async () => {
    const { repo, wt } = await setup();
    writeFile(wt.a as string, 'scratch.txt', 'x\n');
    writeFile(wt.b as string, 'other.go', 'edited\n');
    // A staged rename whose old name looks like the header between worktrees' outputs.
    await commitFiles(wt.c as string, { '# branch.oid 0000': 'h\n' }, 'odd name');
    await git(wt.c as string, 'mv', '--', '# branch.oid 0000', 'renamed.go');
    writeFile(wt.d as string, 'staged.go', 'y\n');
    await git(wt.d as string, 'add', 'staged.go');
    const expected = {
      main: { staged: 0, unstaged: 0, untracked: 0 },
      a: { staged: 0, unstaged: 0, untracked: 1 },
      b: { staged: 0, unstaged: 1, untracked: 0 },
      c: { staged: 1, unstaged: 0, untracked: 0 },
      d: { staged: 1, unstaged: 0, untracked: 0 },
    };
    // From a linked worktree too: git hands its own repository on to the runs it starts.
    for (const cwd of [repo.main, wt.c as string, wt.a as string]) {
      const trace = path.join(tempDir(), 'trace.txt');
      const { json, exitCode } = await runJson<StatusJson>(['status', '--no-conflicts'], {
        cwd,
        env: { GIT_TRACE: trace },
      });
      expect(exitCode).toBe(0);
      const dirt = Object.fromEntries(
        json.worktrees.map(({ main, name, dirty }) => [
          main ? 'main' : name,
          dirty && { staged: dirty.staged, unstaged: dirty.unstaged, untracked: dirty.untracked },
        ]),
      );
      expect(dirt).toEqual(expected);
      const text = readFileSync(trace, 'utf8');
      // Every worktree asked once, by as many processes as the machine has cores (or fewer).
      expect(text.match(/built-in: git status /g)).toHaveLength(5);
      const batches = text.match(/built-in: git for-each-repo /g) ?? [];
      expect(batches.length).toBeGreaterThanOrEqual(1);
      expect(batches.length).toBeLessThanOrEqual(Math.min(2, os.availableParallelism()));
    }
    expect(await git(repo.main, 'status', '--porcelain')).toBe('');
  });

  it('a worktree whose git status fails says why; those after it in its batch are still read', async () => {
    const { repo, wt } = await setup();
    writeFile(wt.b as string, 'scratch.txt', 'x\n');
    writeFile(wt.d as string, 'other.go', 'edited\n');
    // a's .git file points nowhere: its status fails, the batch it is in stops there.
    writeFile(wt.a as string, '.git', 'gitdir: /nonexistent/tmc-orch-test\n');
    const { json, exitCode } = await runJson<StatusJson>(['status', '--no-conflicts'], {
      cwd: repo.main,
    });
    expect(exitCode).toBe(0);
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    expect(w('a')?.dirty).toBeNull();
    expect(w('a')?.problem).toMatch(/not a git repository/);
    expect(w('b')).toMatchObject({ problem: null, dirty: { untracked: 1, unstaged: 0 } });
    expect(w('c')).toMatchObject({ problem: null, dirty: { untracked: 0, unstaged: 0 } });
    expect(w('d')).toMatchObject({ problem: null, dirty: { untracked: 0, unstaged: 1 } });
  });

  it('reads a worktree whose own config moves its work tree as git status there does', async () => {
    const { repo, wt } = await setup();
    writeFile(wt.c as string, 'scratch.txt', 'x\n');
    // d's own config (extensions.worktreeConfig) names c's folder as its work tree: git status in
    // d compares d's index with c's files, c's two commits and scratch.txt untracked.
    await git(repo.main, 'config', 'extensions.worktreeConfig', 'true');
    await git(wt.d as string, 'config', '--worktree', 'core.worktree', wt.c as string);
    expect(await git(wt.d as string, 'status', '--porcelain')).toBe(
      '?? c.go\n?? c2.go\n?? scratch.txt',
    );
    const { json, exitCode } = await runJsonIn<StatusJson>(['status', '--no-conflicts'], {
      cwd: repo.main,
    });
    expect(exitCode).toBe(0);
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    expect(w('d')).toMatchObject({
      problem: null,
      dirty: { staged: 0, unstaged: 0, untracked: 3 },
    });
    expect(w('c')).toMatchObject({
      problem: null,
      dirty: { staged: 0, unstaged: 0, untracked: 1 },
    });
  });

  it.runIf(process.getuid?.() === 0)(
    'leaves a worktree another user owns unread, as git does (safe.directory), and reads the others',
    async () => {
      const { repo, wt } = await setup();
      writeFile(wt.c as string, 'scratch.txt', 'x\n');
      chownSync(wt.b as string, 12345, 12345);
      const { json, exitCode } = await runJsonIn<StatusJson>(['status', '--no-conflicts'], {
        cwd: repo.main,
      });
      expect(exitCode).toBe(0);
      const w = (name: string) => json.worktrees.find((x) => x.name === name);
      expect(w('b')?.dirty).toBeNull();
      expect(w('b')?.problem).toMatch(/^git refuses to work in .*: detected dubious ownership/);
      expect(w('a')).toMatchObject({ problem: null, dirty: { untracked: 0 } });
      expect(w('c')).toMatchObject({ problem: null, dirty: { untracked: 1 } });
      expect(w('d')).toMatchObject({ problem: null, dirty: { untracked: 0 } });
    },
  );

  it('takes no batched answer another repository gave, even one listed under its config key', async () => {
    const { repo, wt } = await setup();
    // Someone's own git config lists another repository under the batch's key: git runs it
    // first in every batch, and a status that fails later leaves as many answers as asked.
    const other = await makeRepo();
    for (const n of [1, 2, 3]) writeFile(other.main, `other-${n}.txt`, 'x\n');
    const global = path.join(tempDir(), 'gitconfig');
    writeFileSync(global, `[tmc-orch]\n\tstatus-batch = ${other.main}\n`);
    writeFile(wt.b as string, '.git', 'gitdir: /nonexistent/tmc-orch-test\n');
    writeFile(wt.a as string, 'scratch.txt', 'x\n');
    writeFile(wt.c as string, 'c.go', 'edited\n');
    const { json, exitCode } = await runJson<StatusJson>(['status', '--no-conflicts'], {
      cwd: repo.main,
      env: { GIT_CONFIG_GLOBAL: global },
    });
    expect(exitCode).toBe(0);
    const dirt = Object.fromEntries(
      json.worktrees.map(({ main, name, dirty }) => [
        main ? 'main' : name,
        dirty && [dirty.staged, dirty.unstaged, dirty.untracked],
      ]),
    );
    expect(dirt).toEqual({ main: [0, 0, 0], a: [0, 0, 1], b: null, c: [0, 1, 0], d: [0, 0, 0] });
  });

  it('asks the rest of a batch that stopped a few at a time, each for its own answer', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `w${i}`);
    const { wt, ...repo } = await repoWithWorktrees(['broken', ...names]);
    const paths = names.map((name) => wt[name] as string);
    // The first worktree's status fails: the batch stops there and the twelve after it are
    // asked alone. Each status runs git's fsmonitor hook, which notes how many run at once.
    writeFile(wt.broken as string, '.git', 'gitdir: /nonexistent/tmc-orch-test\n');
    const running = tempDir();
    const seen = path.join(tempDir(), 'seen');
    const hook = path.join(tempDir(), 'fsmonitor.sh');
    writeFileSync(
      hook,
      `#!/bin/sh\ntouch "${running}/$$"\nsleep 0.3\nls "${running}" | wc -l >>"${seen}"\nrm "${running}/$$"\nexit 1\n`,
      { mode: 0o755 },
    );
    await git(repo.main, 'config', 'core.fsmonitor', hook);
    await git(repo.main, 'config', 'core.fsmonitorHookVersion', '2');
    paths.forEach((dir, i) => {
      for (let k = 0; k < i; k++) writeFile(dir, `scratch-${k}.txt`, 'x\n');
    });
    const targets = await Promise.all(
      paths.map(async (dir) => ({
        path: dir,
        head: await git(dir, 'rev-parse', 'HEAD'),
        branch: await git(dir, 'symbolic-ref', '--short', 'HEAD'),
      })),
    );
    const brokenTarget = { path: wt.broken as string, head: null, branch: null };
    const [broken, ...counts] = await Promise.allSettled(
      dirtyCountsOfEach([brokenTarget, ...targets], { untracked: 'normal', processes: 1 }),
    );
    expect(broken?.status).toBe('rejected');
    expect(counts.map((c) => c.status === 'fulfilled' && c.value.untracked)).toEqual(
      names.map((_, i) => i),
    );
    const together = readFileSync(seen, 'utf8').trim().split('\n').map(Number);
    expect(together).toHaveLength(12);
    expect(Math.max(...together)).toBeLessThanOrEqual(defaultConcurrency());
  });

  it("asks git once for the base's tree, never whether a branch ahead of the base is in it", async () => {
    const { repo } = await setup();
    const trace = path.join(tempDir(), 'trace.txt');
    const { json, exitCode } = await runJson<StatusJson & { baseCommit: string }>(
      ['status', '--no-conflicts'],
      { cwd: repo.main, env: { GIT_TRACE: trace } },
    );
    expect(exitCode).toBe(0);
    const text = readFileSync(trace, 'utf8');
    // a, b and c are ahead (c by two commits): the commit graph already says none is in the base.
    expect(json.worktrees.filter((w) => (w.ahead ?? 0) > 0).map((w) => w.name)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(text.match(/built-in: git merge-base --is-ancestor/g) ?? []).toEqual([]);
    expect(
      text.match(new RegExp(`built-in: git rev-parse .*${json.baseCommit}\\^\\{tree\\}`, 'g')),
    ).toHaveLength(1);
  });

  it('decides branches the base has not moved past from their trees, in one process for all', async () => {
    const { repo, wt } = await setup();
    // d commits a change and takes it back: its tree is the base's again (nothing left to merge).
    await commitFiles(wt.d as string, { 'd.go': 'd\n' }, 'd');
    await git(wt.d as string, 'revert', '--no-edit', 'HEAD');
    const trace = path.join(tempDir(), 'trace.txt');
    const { json, exitCode } = await runJson<
      StatusJson & { worktrees: { name: string; integrated: string | null }[] }
    >(['status', '--no-conflicts'], { cwd: repo.main, env: { GIT_TRACE: trace } });
    expect(exitCode).toBe(0);
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    for (const name of ['a', 'b', 'c']) {
      expect(w(name)).toMatchObject({ behind: 0, integrated: null });
    }
    expect(w('d')).toMatchObject({ ahead: 2, behind: 0, integrated: 'squashed' });
    const text = readFileSync(trace, 'utf8');
    expect(text.match(/built-in: git (cherry|merge-tree)/g) ?? []).toEqual([]);
    expect(text.match(/built-in: git rev-parse .*\^\{tree\}/g)).toHaveLength(1);
  });

  it('merges a pair of identical changes once, whatever their commits', async () => {
    const { repo, wt } = await setup();
    // b2 makes b's change in a commit of its own: same tree from the same base, another commit.
    const b2 = path.join(repo.worktreeRoot, 'b2');
    await git(repo.main, 'worktree', 'add', '-q', '--no-track', '-b', 'b2', b2, 'origin/main');
    await commitFiles(b2, { [FILE]: lines('line 1 by b') }, 'b again, in other words');
    expect(await git(b2, 'rev-parse', 'HEAD')).not.toBe(
      await git(wt.b as string, 'rev-parse', 'HEAD'),
    );

    const { json, merges, exitCode } = await statusMerges(repo.main);
    expect(exitCode).toBe(0);
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    expect(w('a')?.conflicts?.withWorktrees).toEqual([
      { name: 'b', files: [FILE] },
      { name: 'b2', files: [FILE] },
    ]);
    expect(w('b2')?.conflicts?.withWorktrees).toEqual([{ name: 'a', files: [FILE] }]);
    expect(w('b2')?.conflicts?.overlap.map((o) => o.name)).toEqual(['a', 'b']);
    // a with b, and b with b2; a with b2 is a with b again.
    expect(merges).toBe(2);
  });

  it('beyond its budget of merges, groups the file every worktree changes, and says so', async () => {
    const repo = await makeRepo({ remote: true });
    await commitFiles(repo.main, { [FILE]: lines('line 1'), 'other.go': 'x\n' }, 'app');
    await git(repo.main, 'push', '-q', 'origin', 'main');
    // 15 worktrees changing the same line: 105 pairs, over the budget of 100 merges. Two of them
    // also change other.go: that pair is still merged.
    const names = Array.from({ length: 15 }, (_, i) => `w${String(i).padStart(2, '0')}`);
    for (const [i, name] of names.entries()) {
      const wt = path.join(repo.worktreeRoot, name);
      await git(repo.main, 'worktree', 'add', '-q', '--no-track', '-b', name, wt, 'origin/main');
      const other: Record<string, string> = i < 2 ? { 'other.go': `by ${name}\n` } : {};
      await commitFiles(wt, { [FILE]: lines(`line 1 by ${name}`), ...other }, name);
    }

    const { json, merges, exitCode } = await statusMerges(repo.main);
    expect(exitCode).toBe(0);
    expect(merges).toBe(1);
    const w = (name: string) => json.worktrees.find((x) => x.name === name);
    for (const name of names) expect(w(name)?.conflicts?.crowded).toEqual([FILE]);
    expect(w('w00')?.conflicts?.withWorktrees).toEqual([
      { name: 'w01', files: ['other.go', FILE].sort() },
    ]);
    expect(w('w02')?.conflicts).toMatchObject({ withWorktrees: [], overlap: [] });
    expect(json.warnings).toEqual([
      expect.stringMatching(
        /^conflict forecast grouped by file: src\/app\.go \(15 worktrees\) changed by too many worktrees to merge every pair \(budget: 100 merges\)/,
      ),
    ]);
    const human = await runCli(['status'], { cwd: repo.main });
    expect(human.stdout).toMatch(
      /src\/app\.go ≋ 15 worktrees change it, not forecast pair by pair: w00, w01, .* and 7 more/,
    );
    expect(human.stderr).toMatch(/warning: conflict forecast grouped by file/);
  });
});
