import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import { gitWrapper, shellQuote } from '../helpers/git-wrapper.js';
import { gitActingOnce } from '../helpers/racing-git.js';
import { commitFiles, git, makeRepo, writeFile } from '../helpers/repo.js';
import { squashedWorktree } from '../helpers/fixtures.js';

describe('worktree add races', () => {
  it('ten processes adding the same worktree: one creates it, the others are refused cleanly', async () => {
    const repo = await makeRepo();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => runCli(['worktree', 'add', 'race'], { cwd: repo.main })),
    );
    // Anything but a clean win or a clean refusal is a bug: show what it said.
    expect(
      results.filter((r) => r.exitCode !== 0 && r.exitCode !== 1).map((r) => r.stderr),
    ).toEqual([]);
    const codes = results.map((r) => r.exitCode).sort();
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    expect(codes.filter((c) => c === 1)).toHaveLength(9);
    const list = await git(repo.main, 'worktree', 'list', '--porcelain');
    expect(list.match(/^worktree /gm)).toHaveLength(2);
  });

  it('a listing that meets a worktree being added asks git again', async () => {
    const repo = await makeRepo();
    // What git worktree list says while another process is half-way through adding one: once.
    const bin = await gitWrapper(repo.main, (dir) => [
      `  if [ "$arg" = list ] && mkdir ${shellQuote(path.join(dir, 'failed'))} 2>/dev/null; then`,
      '    echo "fatal: failed to read worktrees/race/commondir: Success" >&2',
      '    exit 128',
      '  fi',
    ]);
    const listed = await runJson<{ name: string }[]>(['worktree', 'list'], {
      cwd: repo.main,
      env: { PATH: withPath(bin) },
    });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(existsSync(path.join(bin, 'failed'))).toBe(true);
  });
});

async function repoIgnoringNotes() {
  const repo = await makeRepo();
  writeFile(repo.main, '.gitignore', 'notes/\n');
  await git(repo.main, 'add', '.gitignore');
  await git(repo.main, 'commit', '-q', '-m', 'ignore notes');
  return repo;
}

const withPath = (bin: string) => `${bin}${path.delimiter}${process.env.PATH ?? ''}`;

// Another process acting while a removal runs, at a chosen git call of the removal.
describe('worktree remove and clean races', () => {
  it('an ignored file saved while remove --delete-branch checks the branch is kept, and the removal refused', async () => {
    const repo = await repoIgnoringNotes();
    const wt = await squashedWorktree(repo.main, 'sq');
    const note = path.join(wt, 'notes', 'saved.md');
    const save = `const fs = require('fs'); fs.mkdirSync(require('path').dirname(process.argv[1]), { recursive: true }); fs.writeFileSync(process.argv[1], 'mine\\n');`;
    // merge-tree: the squash check of the branch.
    const bin = await gitActingOnce(repo.main, 'merge-tree', [process.execPath, '-e', save, note]);
    const result = await runCli(['worktree', 'remove', 'sq', '--delete-branch'], {
      cwd: repo.main,
      env: { PATH: withPath(bin) },
    });
    expect(existsSync(path.join(bin, 'fired'))).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('notes/');
    expect(readFileSync(note, 'utf8')).toBe('mine\n');
    expect(await git(repo.main, 'branch', '--list', 'sq')).toContain('sq');
  });

  it('worktree clean keeps a worktree claimed between its survey and its removal, and goes on', async () => {
    const repo = await repoIgnoringNotes();
    const claimed = await squashedWorktree(repo.main, 'a-claimed');
    const done = (
      await runJson<{ path: string }>(['worktree', 'add', 'b-done'], { cwd: repo.main })
    ).json.path;
    await commitFiles(done, { 'b.txt': 'b\n' }, 'work of b-done');
    await git(repo.main, 'merge', '-q', '--no-ff', '-m', 'merge b-done', 'b-done');
    // merge-tree: the survey's squash check of a-claimed, after it found no claim there.
    const claim = [process.execPath, BIN, '-C', repo.main, 'claim', 'a-claimed'];
    const bin = await gitActingOnce(repo.main, 'merge-tree', [
      'env',
      'TMC_AGENT=agent-other',
      ...claim,
    ]);
    // No agent id: the case in which a claim cannot be the runner's own.
    const result = await runJson<{
      worktrees: { name: string; action: string; reason?: string }[];
    }>(['worktree', 'clean'], { cwd: repo.main, env: { PATH: withPath(bin), TMC_AGENT: '' } });
    expect(existsSync(path.join(bin, 'fired'))).toBe(true);
    expect(result.exitCode).toBe(0);
    const by = Object.fromEntries(result.json.worktrees.map((w) => [w.name, w]));
    expect(by['a-claimed']).toEqual(expect.objectContaining({ action: 'kept' }));
    expect(by['a-claimed']!.reason).toContain('claimed meanwhile');
    expect(by['b-done']).toEqual(expect.objectContaining({ action: 'removed' }));
    expect(existsSync(claimed)).toBe(true);
    expect(existsSync(done)).toBe(false);
    const claims = await runJson<{ claims: { worktree: string; agent: string }[] }>(['claims'], {
      cwd: repo.main,
    });
    expect(claims.json.claims).toEqual([
      expect.objectContaining({ worktree: 'a-claimed', agent: 'agent-other' }),
    ]);
  });

  it('a commit made while remove --delete-branch removes the worktree keeps the branch, exit 0', async () => {
    const repo = await repoIgnoringNotes();
    const wt = await squashedWorktree(repo.main, 'sq');
    // remove: git worktree remove, after every check; the commit leaves the worktree clean.
    const bin = await gitActingOnce(repo.main, 'remove', [
      'git',
      '-C',
      wt,
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'late work',
    ]);
    const result = await runJson<{ branchDeleted: boolean; warnings: string[] }>(
      ['worktree', 'remove', 'sq', '--delete-branch'],
      { cwd: repo.main, env: { PATH: withPath(bin) } },
    );
    expect(existsSync(path.join(bin, 'fired'))).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.json.branchDeleted).toBe(false);
    expect(result.json.warnings.join('\n')).toContain('moved while the worktree was removed');
    expect(await git(repo.main, 'log', '-1', '--format=%s', 'refs/heads/sq')).toBe('late work');
  });
});
