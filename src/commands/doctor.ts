import { findings, refLockFiles, remoteProblem, type Finding } from '../doctor/doctor.js';
import { hookStatus } from '../linecount/hooks/status.js';
import { actingAgent } from '../config/identity.js';
import { isMirrorLock, syncLockMirror } from '../claims/mirror.js';
import { releaseWorktree } from '../claims/release.js';
import { listClaims } from '../claims/store.js';
import { worktrees } from '../worktrees/lookup.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface DoctorInput {
  /** Apply the safe fixes. */
  fix: boolean;
}

export async function run(input: DoctorInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const all = await worktrees(repo);
  // First the remote: one that cannot be reached is a finding, and the other checks read the
  // claims as this clone last saw them; --fix then waits, as the mirror may be out of date.
  const remote =
    repo.config.coordination === 'remote' && !repo.offline ? await remoteProblem(repo) : null;
  const local = remote !== null && !remote.reachable;
  const [hooks, claims, lockFiles] = await Promise.all([
    hookStatus(repo, ctx.env.PATH ?? ''),
    listClaims(local ? { ...repo, offline: true } : repo, ctx.now(), all),
    refLockFiles(repo),
  ]);
  const found = findings({ hooks, claims, worktrees: all, isMirrorLock, lockFiles });
  if (remote?.finding) {
    const { finding } = remote;
    found.push(
      local
        ? {
            ...finding,
            problem: `${finding.problem}; the claims above are as this clone last saw them, and --fix changes none of them until the remote answers`,
          }
        : finding,
    );
  }
  const fixed: Finding[] = [];
  if (input.fix && !local) {
    for (const f of found) {
      if (f.kind === 'orphaned-claim') {
        const agent = actingAgent(ctx.identity, 'doctor --fix');
        await releaseWorktree(repo, { name: f.worktree, agent, now: ctx.now });
        fixed.push(f);
      } else if (f.kind === 'lock-without-claim') {
        const wt = all.find((w) => w.path === f.path);
        if (wt && (await syncLockMirror(repo, wt)) === 'unlocked') fixed.push(f);
      }
    }
  }
  const left = found.filter((f) => !fixed.includes(f));
  return {
    exitCode: left.length === 0 ? 0 : 1,
    data: { findings: left, fixed },
    render(out) {
      for (const f of fixed) out.line(`${out.color.green('fixed')} ${describe(f)}`);
      for (const f of left) {
        const hint = f.safe ? ' (tmc-orch doctor --fix does this)' : '';
        // Two lines: out.line escapes a newline inside one, as it does any control character.
        out.line(`${out.color.yellow('problem')} ${describe(f)}`);
        out.line(`  fix: ${f.fix}${hint}`);
      }
      if (left.length === 0 && fixed.length === 0) out.line('no problems found');
    },
  };
}

function describe(f: Finding): string {
  switch (f.kind) {
    case 'hook-off':
      return `${f.worktree}: ${f.problem}`;
    case 'orphaned-claim':
      return `${f.worktree}: claim of ${f.agent} whose worktree is gone`;
    case 'lock-without-claim':
      return `${f.worktree}: git worktree lock left by a claim that no longer exists`;
    case 'ref-lock-file':
      return `leftover ref lock ${f.file}`;
    case 'remote':
      return `remote: ${f.problem}`;
  }
}
