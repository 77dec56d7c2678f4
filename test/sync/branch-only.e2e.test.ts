import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncReport } from '../../src/sync/types.js';
import { runJson } from '../helpers/cli.js';
import { kcpTemplates, squashMerge } from '../helpers/fixtures.js';
import { smallBranchFiles } from '../helpers/kcp-branch.js';
import { git, tempDir } from '../helpers/repo.js';
import { runIn } from '../helpers/run.js';

// Spawned: a real sync --all whose git, at the moment sync moves a part's branch, finds it moved
// by someone else a moment before (a commit made on it meanwhile).
const templates = kcpTemplates({ small: { branch: 'feat', files: smallBranchFiles() } });

/**
 * A folder holding a `git` that is the real git, except that just before the update-ref that
 * moves `ref` from sync, it points `ref` at `commit` (as another agent's commit would).
 */
async function gitMovingBefore(cwd: string, ref: string, commit: string): Promise<string> {
  const realGit = path.join(await git(cwd, '--exec-path'), 'git');
  const bin = tempDir();
  writeFileSync(
    path.join(bin, 'git'),
    [
      '#!/bin/sh',
      'case " $* " in',
      `  *" update-ref -m "*" ${ref} "*) '${realGit}' update-ref ${ref} ${commit} ;;`,
      'esac',
      `exec '${realGit}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'git'), 0o755);
  return bin;
}

describe('sync --all, a part without a worktree moved meanwhile', () => {
  it('does not overwrite it, and says so', { timeout: 240_000 }, async () => {
    const repo = templates.small();
    const split = await runIn(['split', '--apply', '--name', 's'], { cwd: repo.main });
    expect(split.exitCode, split.stderr).toBe(0);
    await squashMerge(repo, 's-1');
    // Someone's commit on part 2, which lands while sync works out its restack.
    const theirs = await git(
      repo.main,
      'commit-tree',
      'refs/heads/s-2^{tree}',
      '-p',
      'refs/heads/s-2',
      '-m',
      'review fix',
    );
    const bin = await gitMovingBefore(repo.main, 'refs/heads/s-2', theirs);

    const sync = await runJson<SyncReport>(['sync', '--all'], {
      cwd: repo.main,
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    const two = sync.json.results.find((r) => r.name === 's-2');
    expect(two, sync.stderr).toMatchObject({
      kind: 'branch',
      status: 'skipped',
      skip: 'branch-moved',
    });
    expect(two?.reason).toContain('so the restack was not applied');
    // Their commit stays, and the record still says what it did: part 2 is on part 1.
    expect(await git(repo.main, 'rev-parse', 's-2')).toBe(theirs);
    expect(await git(repo.main, 'config', 'branch.s-2.tmcOrchParent')).toBe('s-1');
    // The part above goes onto part 2 as it is now, their commit included.
    expect(sync.json.results.find((r) => r.name === 's-3')).toMatchObject({ status: 'updated' });
    expect(await git(repo.main, 'rev-parse', 's-3^')).toBe(theirs);
  });
});
