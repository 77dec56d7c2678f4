import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../helpers/repo.js';
import { freePort, serverHook, setOrigin } from '../helpers/remote.js';
import { cluster, repoWithWorktrees, type Machine } from '../helpers/fixtures.js';
import { runIn, runJsonIn } from '../helpers/run.js';

interface Finding {
  kind: string;
  worktree?: string;
  fix: string;
  safe: boolean;
}
type Report = { findings: Finding[]; fixed: Finding[] };

const kinds = (fs: Finding[]) => fs.map((f) => `${f.kind}:${f.worktree ?? ''}`).sort();

describe('doctor', () => {
  it('finds an orphaned claim, a lock mirror with no claim and a leftover ref lock; --fix mends the safe ones', async () => {
    const repo = await repoWithWorktrees(['w1', 'w2']);
    const env = { TMC_AGENT: 'alice' };
    expect((await runJsonIn(['claim', 'w1'], { cwd: repo.main, env })).exitCode).toBe(0);
    await git(repo.main, 'worktree', 'remove', '-f', '-f', path.join(repo.worktreeRoot, 'w1'));
    await git(
      repo.main,
      'worktree',
      'lock',
      '--reason',
      'claimed by bob',
      path.join(repo.worktreeRoot, 'w2'),
    );
    const lockFile = path.join(repo.main, '.git', 'refs', 'tmc-orch', 'claims', 'w9.lock');
    writeFileSync(lockFile, '');
    const seen = await runJsonIn<Report>(['doctor'], { cwd: repo.main, env });
    expect(seen.exitCode).toBe(1);
    const problems = kinds(seen.json.findings).filter((k) => !k.startsWith('hook-off'));
    expect(problems).toEqual(['lock-without-claim:w2', 'orphaned-claim:w1', 'ref-lock-file:']);
    expect(seen.json.findings.find((f) => f.kind === 'orphaned-claim')?.fix).toBe(
      'tmc-orch release w1',
    );
    const fixed = await runJsonIn<Report>(['doctor', '--fix'], { cwd: repo.main, env });
    expect(kinds(fixed.json.fixed)).toEqual(['lock-without-claim:w2', 'orphaned-claim:w1']);
    expect(kinds(fixed.json.findings).filter((k) => !k.startsWith('hook-off'))).toEqual([
      'ref-lock-file:',
    ]);
    expect(await git(repo.main, 'for-each-ref', 'refs/tmc-orch/claims/')).toBe('');
  }, 60_000);

  it('finds and drops the claim a worktree remove killed midway left on the gone worktree', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const env = { TMC_AGENT: 'alice' };
    expect((await runJsonIn(['claim', 'w1'], { cwd: repo.main, env })).exitCode).toBe(0);
    // What a removal holds while it removes (claims/removal.ts): the claim, marked removing.
    const ref = 'refs/tmc-orch/claims/w1';
    const record = JSON.parse(await git(repo.main, 'cat-file', 'blob', ref)) as object;
    const removing = path.join(repo.root, 'removing.json');
    writeFileSync(removing, JSON.stringify({ ...record, removing: true }));
    const oid = await git(repo.main, 'hash-object', '-w', removing);
    await git(repo.main, 'update-ref', ref, oid);
    // Killed after git removed the worktree, before the claim was dropped.
    await git(repo.main, 'worktree', 'remove', '-f', '-f', path.join(repo.worktreeRoot, 'w1'));
    const seen = await runJsonIn<Report>(['doctor'], { cwd: repo.main, env });
    const problems = kinds(seen.json.findings).filter((k) => !k.startsWith('hook-off'));
    expect(problems).toEqual(['orphaned-claim:w1']);
    const fixed = await runJsonIn<Report>(['doctor', '--fix'], { cwd: repo.main, env });
    expect(kinds(fixed.json.fixed)).toEqual(['orphaned-claim:w1']);
    expect(await git(repo.main, 'for-each-ref', 'refs/tmc-orch/claims/')).toBe('');
  }, 60_000);

  it('leaves alone a live claim another machine holds on a worktree only it has', async () => {
    const c = await cluster(2, []);
    const [a, b] = c.machines as [Machine, Machine];
    await git(a.main, 'worktree', 'add', '-q', '-b', 'only-a', path.join(a.worktreeRoot, 'w4'));
    const claimed = await runJsonIn(['claim', 'w4'], { cwd: a.main, env: { TMC_AGENT: 'alice' } });
    expect(claimed.exitCode, claimed.stderr).toBe(0);
    const before = await git(c.remote, 'for-each-ref', 'refs/tmc-orch/claims/');
    const env = { TMC_AGENT: 'bob' };
    const seen = await runJsonIn<Report>(['doctor'], { cwd: b.main, env });
    expect(kinds(seen.json.findings).filter((k) => k.startsWith('orphaned'))).toEqual([]);
    const fixed = await runJsonIn<Report>(['doctor', '--fix'], { cwd: b.main, env });
    expect(fixed.json.fixed).toEqual([]);
    const release = await runJsonIn(['release', 'w4'], { cwd: b.main, env });
    expect(release.exitCode).toBe(1);
    expect(await git(c.remote, 'for-each-ref', 'refs/tmc-orch/claims/')).toBe(before);
  }, 60_000);

  it('prints each finding and its fix on lines of their own', async () => {
    const repo = await repoWithWorktrees(['w1']);
    const lockFile = path.join(repo.main, '.git', 'refs', 'tmc-orch', 'claims', 'w9.lock');
    mkdirSync(path.dirname(lockFile), { recursive: true });
    writeFileSync(lockFile, '');
    const seen = await runIn(['doctor'], { cwd: repo.main });
    expect(seen.exitCode).toBe(1);
    expect(seen.stdout).not.toContain('\\n');
    const lines = seen.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`problem leftover ref lock ${lockFile}`));
    expect(lines[at + 1]).toBe(`  fix: if no git or tmc-orch process is running: rm ${lockFile}`);
  }, 60_000);

  it('reports a remote that refuses the claim namespace, with the fallback config', async () => {
    const c = await cluster(1, []);
    const [a] = c.machines as [Machine];
    const env = { TMC_AGENT: 'alice' };
    const healthy = await runJsonIn<Report>(['doctor'], { cwd: a.main, env });
    expect(healthy.json.findings.filter((f) => f.kind === 'remote')).toEqual([]);
    serverHook(
      c,
      'pre-receive',
      'while read old new ref; do case "$ref" in refs/heads/*) ;; *) exit 1;; esac; done',
    );
    const refused = await runJsonIn<Report>(['doctor'], { cwd: a.main, env });
    const remote = refused.json.findings.find((f) => f.kind === 'remote');
    expect(remote?.fix).toContain('"namespace": "refs/heads/tmc-orch/"');
    expect(await git(c.remote, 'for-each-ref', 'refs/tmc-orch/')).toBe('');
  }, 60_000);

  it('reports a remote it cannot reach as a finding and checks the rest from the mirror', async () => {
    const c = await cluster(1, ['w1'], { remoteCoordination: { timeout: '5s' } });
    const [a] = c.machines as [Machine];
    const env = { TMC_AGENT: 'alice' };
    expect((await runJsonIn(['claim', 'w1'], { cwd: a.main, env })).exitCode).toBe(0);
    // A claim whose worktree is gone, as the mirror says.
    await git(a.main, 'worktree', 'remove', '-f', '-f', path.join(a.worktreeRoot, 'w1'));
    await setOrigin(c, `git://127.0.0.1:${await freePort()}/remote.git`);
    const seen = await runJsonIn<Report>(['doctor', '--fix'], { cwd: a.main, env });
    expect(seen.exitCode, seen.stderr).toBe(1);
    expect(kinds(seen.json.findings)).toEqual(['hook-off:repo', 'orphaned-claim:w1', 'remote:']);
    expect(seen.json.fixed).toEqual([]);
    expect(await git(a.main, 'for-each-ref', 'refs/tmc-orch/claims/')).not.toBe('');
    // A clone without the remote at all: the same, its finding saying so.
    await git(a.main, 'remote', 'remove', 'origin');
    const missing = await runJsonIn<Report>(['doctor'], { cwd: a.main, env });
    expect(kinds(missing.json.findings)).toEqual(['hook-off:repo', 'orphaned-claim:w1', 'remote:']);
  }, 60_000);

  it('reports a host that accepts the refs but refuses to delete them; release says so too', async () => {
    const namespace = 'refs/heads/tmc-orch/';
    const c = await cluster(1, ['w1'], { remoteCoordination: { namespace } });
    const [a] = c.machines as [Machine];
    // git itself refuses deleting branches so; hosts do it with branch protection rules.
    await git(c.remote, 'config', 'receive.denyDeletes', 'true');
    const env = { TMC_AGENT: 'alice' };
    const seen = await runJsonIn<{ findings: (Finding & { problem?: string })[] }>(['doctor'], {
      cwd: a.main,
      env,
    });
    const remote = seen.json.findings.find((f) => f.kind === 'remote');
    expect(remote?.problem).toContain(`refuses to delete refs under ${namespace}`);
    expect((await runJsonIn(['claim', 'w1'], { cwd: a.main, env })).exitCode).toBe(0);
    const release = await runIn(['release', 'w1'], { cwd: a.main, env });
    expect(release.exitCode).toBe(2);
    expect(release.stderr).toContain('claims there can be taken but not released');
  }, 60_000);

  it('init --coordination remote writes the mode and warns of a host refusing the namespace', async () => {
    const c = await cluster(1, []);
    const [a] = c.machines as [Machine];
    serverHook(
      c,
      'pre-receive',
      'while read old new ref; do case "$ref" in refs/heads/*) ;; *) exit 1;; esac; done',
    );
    const init = await runJsonIn<{ file: string; warnings: string[] }>(
      ['init', '--coordination', 'remote', '--force'],
      { cwd: a.main, env: { TMC_AGENT: 'alice' } },
    );
    expect(init.exitCode, init.stderr).toBe(0);
    expect(JSON.parse(readFileSync(init.json.file, 'utf8'))).toMatchObject({
      coordination: 'remote',
    });
    expect(init.json.warnings.join('\n')).toContain('"namespace": "refs/heads/tmc-orch/"');
  }, 60_000);
});
