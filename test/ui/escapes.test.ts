import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { AGENT, BRANCH, expectSafe, PLANT, planted, TASK } from '../helpers/planted.js';

describe('planted control characters never reach the terminal', () => {
  it('status, log show, claims and worktree list show them escaped', async () => {
    const { repo } = await planted();
    for (const args of [['status'], ['log', 'show', '--all'], ['claims'], ['worktree', 'list']]) {
      const result = await runIn(args, { cwd: repo.main });
      expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expectSafe(result);
      expect(result.stdout, args.join(' ')).toContain('\\u202e');
    }
    const log = await runIn(['log', 'show', '--all'], { cwd: repo.main });
    expect(log.stdout).toContain('A\\x1b]52;c;cHduZWQ=\\x07B\\x1b[2J\\x9b31m\\u202eevil');
    // With colour on, our colours pass and the planted ones are still escaped.
    const colour = { NO_COLOR: '', FORCE_COLOR: '1' };
    const coloured = await runIn(['status'], { cwd: repo.main, env: colour });
    expect(coloured.stdout).toContain('\u001b[');
    expectSafe(coloured, true);
    expect(coloured.stdout).toContain('\\x1b[2J');
  });

  it('JSON keeps the raw strings, escaped as JSON', async () => {
    const { repo } = await planted();
    const result = await runJsonIn<{ claims: { agent: string; task: string }[] }>(['claims'], {
      cwd: repo.main,
    });
    expectSafe(result);
    expect(result.json.claims[0]).toMatchObject({ agent: AGENT, task: TASK });
    const log = await runJsonIn<{ entries: { message: string }[] }>(['log', 'show', '--all'], {
      cwd: repo.main,
    });
    expectSafe(log);
    expect(log.json.entries.map((e) => e.message)).toContain(PLANT);
  });

  it('lines, check and sync show file names, branches and reasons escaped', async () => {
    const { repo, wt } = await planted();
    const byFile = await runIn(['lines', '--by-file', BRANCH], { cwd: wt });
    expect(byFile.exitCode, byFile.stderr).toBe(0);
    expectSafe(byFile);
    expect(byFile.stdout).toContain('x\\x1b]52;c;Zm9v\\x07\\u202e.txt');
    expect(byFile.stdout).toContain('\\u202eevil');

    const check = await runIn(['check'], { cwd: wt });
    expect(check.exitCode).toBe(1);
    expectSafe(check);
    expect(check.stderr).toContain('x\\x1b]52;c;Zm9v\\x07\\u202e.txt');

    // w1 is claimed by the planted agent: the skip names it, escaped.
    const sync = await runIn(['sync', '--all'], { cwd: repo.main });
    expect(sync.exitCode, sync.stderr).toBe(0);
    expectSafe(sync);
    expect(sync.stdout).toContain(`claimed by ${AGENT}`);
  });
});
