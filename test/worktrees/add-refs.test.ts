import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { commitFiles, git, makeRepo } from '../helpers/repo.js';

/** Every ref and worktree of the repository, to show a refused command changed nothing. */
async function snapshot(cwd: string): Promise<string> {
  const refs = await git(cwd, 'for-each-ref', '--format=%(refname) %(objectname)');
  const worktrees = await git(cwd, 'worktree', 'list', '--porcelain');
  return `${refs}\n${worktrees}`;
}

describe('worktree add: branch names that another ref would shadow', () => {
  it.each([
    ['origin/main', /under the remote "origin"/],
    ['origin', /is the name of the remote "origin"/],
    ['upstream/feat', /under the remote "upstream"/],
    ['HEAD', /pseudo-ref/],
    ['ORIG_HEAD', /pseudo-ref/],
    ['FETCH_HEAD', /pseudo-ref/],
    ['merge_head', /pseudo-ref/],
    ['AUTO_MERGE', /pseudo-ref/],
    ['feat.', /ends in "\."/],
    ['tags/v1', /starts with "tags\/"/],
    ['refs/heads/x', /starts with "refs\/"/],
    ['heads/x', /starts with "heads\/"/],
    ['remotes/x', /starts with "remotes\/"/],
  ])('refuses --branch %j with exit 2 and changes nothing', async (branch, why) => {
    const repo = await makeRepo({ remote: true });
    await git(repo.main, 'remote', 'add', 'upstream', repo.remote as string);
    const before = await snapshot(repo.main);
    const result = await runIn(['worktree', 'add', 'x', '--branch', branch], { cwd: repo.main });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toMatch(/; pick another name, e\.g\. --branch tmc\/<name>\n$/);
    expect(await snapshot(repo.main)).toBe(before);
    expect(existsSync(path.join(repo.worktreeRoot, 'x'))).toBe(false);
  });

  it('refuses a branchPrefix that puts every branch under a remote, naming the config key', async () => {
    const repo = await makeRepo({ remote: true });
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ branchPrefix: 'origin/' }),
    );
    const result = await runIn(['worktree', 'add', 'x'], { cwd: repo.main });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/branchPrefix "origin\/".*under the remote "origin"/);
  });

  it('starts from the remote-tracking base even when a local branch origin/main exists', async () => {
    const repo = await makeRepo({ remote: true });
    await git(repo.main, 'branch', 'origin/main');
    const remoteHead = await commitFiles(repo.main, { 'a.txt': 'a\n' });
    await git(repo.main, 'push', '-q', 'origin', 'main');
    const added = await runJsonIn<{ head: string; from: string }>(['worktree', 'add', 'y'], {
      cwd: repo.main,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json).toMatchObject({ head: remoteHead, from: 'origin/main' });
  });

  it('starts a branch pushed from elsewhere from its remote copy, not a same-named local ref', async () => {
    const repo = await makeRepo({ remote: true });
    const pushed = await commitFiles(repo.main, { 'b.txt': 'b\n' });
    await git(repo.main, 'push', '-q', 'origin', 'HEAD:refs/heads/z');
    await git(repo.main, 'reset', '-q', '--hard', 'HEAD~1');
    // A local branch that `origin/z` would resolve to first.
    await git(repo.main, 'branch', 'origin/z');
    await git(repo.main, 'fetch', '-q', 'origin');
    const added = await runJsonIn<{ head: string; from: string }>(['worktree', 'add', 'z'], {
      cwd: repo.main,
    });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.json).toMatchObject({ head: pushed, from: 'origin/z' });
  });

  it('refuses a --from that names two refs, with exit 2 naming both', async () => {
    const repo = await makeRepo({ remote: true });
    await git(repo.main, 'branch', 'origin/main');
    const before = await snapshot(repo.main);
    const result = await runIn(['worktree', 'add', 'w', '--from', 'origin/main'], {
      cwd: repo.main,
    });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(
      /--from "origin\/main" is ambiguous: refs\/heads\/origin\/main, refs\/remotes\/origin\/main/,
    );
    expect(await snapshot(repo.main)).toBe(before);
  });
});
