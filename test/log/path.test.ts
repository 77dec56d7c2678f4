import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIn, runJsonIn } from '../helpers/run.js';
import { claimBlob } from '../helpers/claims.js';
import { repoWithWorktrees } from '../helpers/fixtures.js';
import { commitFiles, type TestRepo } from '../helpers/repo.js';

/** Anything but a regular file at the log's path: none may hang, follow or crash a command. */
const kinds: Record<string, (file: string) => void> = {
  directory: (file) => mkdirSync(file),
  FIFO: (file) => execFileSync('mkfifo', [file]),
  'symbolic link': (file) => {
    writeFileSync(`${file}.target`, 'not the log\n');
    symlinkSync(`${file}.target`, file);
  },
};

async function repoWithLog(kind: string): Promise<{ repo: TestRepo; file: string }> {
  const repo = await repoWithWorktrees(['w1']);
  mkdirSync(repo.sharedDir, { recursive: true });
  const file = path.join(repo.sharedDir, 'daily-status.log');
  kinds[kind]?.(file);
  return { repo, file };
}

// A hang must fail the test, not time it out: every run gets 15 s.
const options = (cwd: string) => ({ cwd, timeout: 15_000 });

describe('a status log path that is not a regular file', () => {
  for (const kind of Object.keys(kinds)) {
    it(`log and log show refuse a ${kind} with exit 2 and the fix`, async () => {
      const { repo, file } = await repoWithLog(kind);
      for (const args of [
        ['log', 'hello'],
        ['log', 'show', '--all'],
      ]) {
        const result = await runIn(args, options(repo.main));
        expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(`is a ${kind === 'FIFO' ? 'FIFO' : kind}`);
        expect(result.stderr).toContain(`mv -- ${file} ${file}.bad`);
        expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      }
      if (kind === 'symbolic link') {
        expect(readFileSync(`${file}.target`, 'utf8')).toBe('not the log\n');
      }
    });

    it(`status, claim and sync survive a ${kind}: a warning, no log data`, async () => {
      const { repo } = await repoWithLog(kind);
      const claim = await runIn(['claim', 'w1'], options(repo.main));
      expect(claim.exitCode, claim.stderr).toBe(0);
      expect(claim.stderr).toMatch(/could not write the status log: .*not a regular file/);
      expect((await claimBlob(repo, 'w1'))?.agent).toBe('agent-test');

      const status = await runIn(['status'], options(repo.main));
      expect(status.exitCode, status.stderr).toBe(0);
      expect(status.stderr).toMatch(/LAST LOG not shown: the status log .* not a regular file/);
      const json = await runJsonIn<{ warnings: string[]; worktrees: { lastLog: unknown }[] }>(
        ['status'],
        options(repo.main),
      );
      expect(json.exitCode).toBe(0);
      expect(json.json.warnings).toEqual([expect.stringMatching(/not a regular file/)]);
      expect(json.json.worktrees.every((w) => w.lastLog === null)).toBe(true);

      // The base moves: w1 (claimed by us) is updated, an entry to log; the main worktree is up
      // to date, which sync does not log.
      await commitFiles(repo.main, { 'moved.txt': 'moved\n' }, 'the base moves');
      const sync = await runJsonIn<{ warnings: string[]; results: { status: string }[] }>(
        ['sync', '--all'],
        options(repo.main),
      );
      expect(sync.exitCode, sync.stderr).toBe(0);
      expect(sync.json.results.map((r) => r.status)).toEqual(['up-to-date', 'updated']);
      const logWarnings = sync.json.warnings.filter((w) => w.includes('status log'));
      expect(logWarnings).toEqual([
        expect.stringMatching(/could not write the status log: .*not a regular file/),
      ]);
    });
  }
});
