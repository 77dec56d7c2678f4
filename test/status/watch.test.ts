import { describe, expect, it } from 'vitest';
import { makeRepo } from '../helpers/repo.js';
import { runIn } from '../helpers/run.js';

describe('status --watch flags', () => {
  it('--json with --watch, and --interval without --watch, are bad input', async () => {
    const repo = await makeRepo();
    expect((await runIn(['--json', 'status', '--watch'], { cwd: repo.main })).exitCode).toBe(2);
    expect((await runIn(['status', '--interval', '5s'], { cwd: repo.main })).exitCode).toBe(2);
    expect(
      (await runIn(['status', '--watch', '--interval', '10ms'], { cwd: repo.main })).exitCode,
    ).toBe(2);
  });
});
