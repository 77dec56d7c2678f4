import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJsonIn } from '../helpers/run.js';
import { configSchema } from '../../src/config/schema.js';
import { commitFiles, git, makeRepo } from '../helpers/repo.js';

interface Row {
  name: string;
  lines: number | null;
  withinLimit: boolean | null;
}

const lines = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `${tag} ${i}`).join('\n') + '\n';

describe('status: PR lines', () => {
  it('counts each worktree once per head and rules, and recounts when either changes', async () => {
    const repo = await makeRepo({ remote: true });
    const add = await runJsonIn<{ path: string }>(['worktree', 'add', 'w'], { cwd: repo.main });
    await commitFiles(add.json.path, { 'a.txt': lines(30, 'a') }, 'a');
    const row = async () =>
      (
        await runJsonIn<{ worktrees: Row[] }>(['status', '--no-conflicts'], { cwd: repo.main })
      ).json.worktrees.find((w) => w.name === 'w');

    expect(await row()).toMatchObject({ lines: 30, withinLimit: true });
    const cacheFile = path.join(repo.main, '.git', 'tmc-orch-lines-cache.json');
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { counts: object };
    expect(Object.values(cached.counts)).toEqual([{ lines: 30, withinLimit: true }]);
    // A cached answer is the same answer.
    expect(await row()).toMatchObject({ lines: 30, withinLimit: true });

    // The head moves: counted again.
    await commitFiles(add.json.path, { 'b.txt': lines(12, 'b') }, 'b');
    expect(await row()).toMatchObject({ lines: 42, withinLimit: true });

    // The rules change (a lower limit; a.txt marked generated): counted again.
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ lines: { limit: 40, target: 30, generated: { exclude: ['b.txt'] } } }),
    );
    expect(await row()).toMatchObject({ lines: 30, withinLimit: true });
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ lines: { limit: 20, target: 10 } }),
    );
    expect(await row()).toMatchObject({ lines: 42, withinLimit: false });

    // A corrupt cache costs time, not answers.
    writeFileSync(cacheFile, '{"garbage');
    expect(await row()).toMatchObject({ lines: 42, withinLimit: false });
  });

  it('does not serve a count cached by a tmc-orch that read the rules elsewhere', async () => {
    const repo = await makeRepo({ remote: true });
    const add = await runJsonIn<{ path: string }>(['worktree', 'add', 'w'], { cwd: repo.main });
    const head = await commitFiles(add.json.path, { 'a.txt': lines(30, 'a') }, 'a');
    const base = await git(repo.main, 'rev-parse', 'refs/remotes/origin/main');
    // The key the previous version wrote: the config's line rules, the base and the head.
    const rules = createHash('sha1')
      .update(JSON.stringify(configSchema.parse({}).lines))
      .digest('hex');
    const cacheFile = path.join(repo.main, '.git', 'tmc-orch-lines-cache.json');
    writeFileSync(
      cacheFile,
      JSON.stringify({ [`${rules}:${base}:${head}`]: { lines: 0, withinLimit: true } }),
    );
    const status = await runJsonIn<{ worktrees: Row[] }>(['status', '--no-conflicts'], {
      cwd: repo.main,
    });
    expect(status.json.worktrees.find((w) => w.name === 'w')).toMatchObject({ lines: 30 });
  });
});
