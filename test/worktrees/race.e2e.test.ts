import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, makeRepo } from '../helpers/repo.js';

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
});
