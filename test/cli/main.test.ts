import { describe, expect, it } from 'vitest';
import { commitFiles, makeRepo } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';

describe('main(argv, io)', () => {
  it('runs twice in one process, each run with its own output and exit code', async () => {
    const repo = await makeRepo();
    const bad = await runIn(['--json', 'claim', 'w', '--ttl', 'soon'], { cwd: repo.main });
    expect(bad.exitCode).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'usage' } });
    // No --json this time: a run must not inherit the JSON output of the one before.
    const listed = await runIn(['worktree', 'list'], { cwd: repo.main });
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain('NAME');
    expect(listed.stderr).toBe('');
  });

  it('returns the exit code of the answer no, not one left by an earlier run', async () => {
    const repo = await makeRepo();
    await commitFiles(repo.main, { 'a.txt': 'one\ntwo\nthree\n' });
    const check = await runIn(['check', '--limit', '2', '--base', 'HEAD~1'], { cwd: repo.main });
    expect(check.exitCode).toBe(1);
    const claims = await runIn(['claims'], { cwd: repo.main });
    expect(claims.exitCode).toBe(0);
  });

  it('prints data under --json for every command and renders otherwise', async () => {
    const repo = await makeRepo();
    const json = await runJsonIn<{ worktrees: unknown[] }>(['worktree', 'list'], {
      cwd: repo.main,
    });
    expect(json.json.worktrees).toHaveLength(1);
    expect(json.stderr).toBe('');
  });
});

describe('--help --json', () => {
  it('describes the command as one JSON document', async () => {
    const repo = await makeRepo();
    const result = await runIn(['claim', '--help', '--json'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      command: 'tmc-orch claim',
      arguments: [{ name: 'worktree', required: true, variadic: false }],
    });
    expect(doc.options).toContainEqual(
      expect.objectContaining({ flags: '--ttl <duration>', takesValue: true }),
    );
    expect(doc.globalOptions).toContainEqual(expect.objectContaining({ flags: '--json' }));
  });

  it('lists the subcommands of a group', async () => {
    const repo = await makeRepo();
    const result = await runIn(['--json', 'worktree', '--help'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout) as { commands: { name: string }[] };
    expect(doc.commands.map((c) => c.name)).toEqual(['add', 'list', 'remove', 'clean', 'prune']);
  });

  it('keeps plain help text without --json', async () => {
    const repo = await makeRepo();
    const result = await runIn(['claim', '--help'], { cwd: repo.main });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage: tmc-orch claim');
  });
});
