import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LineReport } from '../../src/linecount/count.js';
import { commitFiles, git, makeRepo } from '../helpers/repo.js';
import { runIn, runJsonIn } from '../helpers/run.js';

const lines = (n: number, tag = 'l') =>
  Array.from({ length: n }, (_, i) => `${tag}${i}\n`).join('');

/** main, then part-1 (500 lines) and part-2 (400 lines on top), part-2 stacked on part-1. */
async function stack() {
  const repo = await makeRepo();
  writeFileSync(path.join(repo.main, '.tmc-orch.json'), JSON.stringify({ remote: '' }));
  await git(repo.main, 'checkout', '-q', '-b', 'part-1');
  const one = await commitFiles(repo.main, { 'a.txt': lines(500) });
  await git(repo.main, 'checkout', '-q', '-b', 'part-2');
  await commitFiles(repo.main, { 'b.txt': lines(400) });
  await git(repo.main, 'config', 'branch.part-2.tmcOrchParent', 'part-1');
  await git(repo.main, 'config', 'branch.part-2.tmcOrchForkPoint', one);
  return repo;
}

describe('lines and check on a stacked branch', () => {
  it('measures a part against its recorded parent, from HEAD or by name', async () => {
    const repo = await stack();
    const head = await runJsonIn<LineReport>(['lines'], { cwd: repo.main });
    expect(head.exitCode, head.stderr).toBe(0);
    expect(head.json).toMatchObject({ base: 'part-1', parent: 'part-1', counted: { lines: 400 } });
    await git(repo.main, 'checkout', '-q', 'main');
    const named = await runJsonIn<LineReport>(['lines', 'part-2'], { cwd: repo.main });
    expect(named.json).toMatchObject({ parent: 'part-1', counted: { lines: 400 } });
    const text = await runIn(['lines', 'part-2'], { cwd: repo.main });
    expect(text.stdout).toMatch(
      /^part-1, its stack parent, \(merge base [0-9a-f]{10}\) → part-2$/m,
    );
  });

  it('measures against the base when --base is given, or the parent branch is gone', async () => {
    const repo = await stack();
    const whole = await runJsonIn<LineReport>(['check', '--base', 'main'], { cwd: repo.main });
    expect(whole.exitCode).toBe(1);
    expect(whole.json).toMatchObject({ base: 'main', parent: null, counted: { lines: 900 } });
    await git(repo.main, 'branch', '-D', 'part-1');
    const gone = await runJsonIn<LineReport>(['lines'], { cwd: repo.main });
    expect(gone.json).toMatchObject({ base: 'main', parent: null, counted: { lines: 900 } });
  });

  it('names tmc-orch split --apply when check finds a branch over the limit', async () => {
    const repo = await stack();
    const over = await runIn(['check', 'part-2', '--base', 'main'], { cwd: repo.main });
    expect(over.exitCode).toBe(1);
    expect(over.stderr).toContain('tmc-orch split --apply part-2');
    expect(over.stderr).toContain('tmc-orch split part-2 shows the plan');
  });
});
