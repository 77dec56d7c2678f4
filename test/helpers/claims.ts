import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { git, type TestRepo } from './repo.js';

/** The claim blob of a worktree as stored, or null. */
export async function claimBlob(
  repo: TestRepo,
  name: string,
): Promise<Record<string, unknown> | null> {
  const result = await execa('git', ['cat-file', 'blob', `refs/tmc-orch/claims/${name}`], {
    cwd: repo.main,
    reject: false,
  });
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as Record<string, unknown>) : null;
}

/** Everything a command could change: claim refs, worktree locks, the status log. */
export async function snapshot(repo: TestRepo): Promise<string> {
  const refs = await git(repo.main, 'for-each-ref', 'refs/tmc-orch/');
  const worktrees = await git(repo.main, 'worktree', 'list', '--porcelain');
  let log = '';
  try {
    log = readFileSync(path.join(repo.sharedDir, 'daily-status.log'), 'utf8');
  } catch {
    // No log yet.
  }
  return `${refs}\n--\n${worktrees}\n--\n${log}`;
}

export function logLines(repo: TestRepo): string[] {
  try {
    return readFileSync(path.join(repo.sharedDir, 'daily-status.log'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}

/** The git lock reason of a worktree, or null when not locked. */
export async function lockOf(repo: TestRepo, name: string): Promise<string | null> {
  const out = await git(repo.main, 'worktree', 'list', '--porcelain');
  const block = out
    .split('\n\n')
    .find((b) => b.startsWith(`worktree ${path.join(repo.worktreeRoot, name)}\n`));
  const line = block?.split('\n').find((l) => l === 'locked' || l.startsWith('locked '));
  return line === undefined ? null : line.slice('locked '.length);
}

/** Rewrites a claim's blob (compare-and-swap on the ref), e.g. to make it stale without waiting. */
export async function editClaim(
  repo: TestRepo,
  name: string,
  edit: (record: Record<string, unknown>) => Record<string, unknown>,
): Promise<void> {
  const ref = `refs/tmc-orch/claims/${name}`;
  const old = await git(repo.main, 'rev-parse', ref);
  const record = (await claimBlob(repo, name)) ?? {};
  const { stdout } = await execa('git', ['hash-object', '-w', '--stdin'], {
    cwd: repo.main,
    input: JSON.stringify(edit(record)),
  });
  await git(repo.main, 'update-ref', ref, stdout.trim(), old);
}

/** Moves a claim's heartbeat `ms` into the past: stale once `ms` exceeds its TTL. */
export async function ageClaim(repo: TestRepo, name: string, ms: number): Promise<void> {
  await editClaim(repo, name, (r) => ({
    ...r,
    since: new Date(Date.parse(String(r.since)) - ms).toISOString(),
    heartbeat: new Date(Date.parse(String(r.heartbeat)) - ms).toISOString(),
  }));
}
