import { UsageError } from '../errors.js';
import { resolveCommit } from '../git/index.js';
import type { PrePushGates } from '../gates/pre-push.js';
import { gatePush, type GateResult } from '../linecount/gate.js';
import { preCommitPush } from '../linecount/hooks/pre-commit-env.js';
import { baseRef, type Repo } from '../repo.js';
import type { Plan } from '../plan/schema.js';
import type { Output } from '../ui/output.js';
import type { CommandContext } from './context.js';
import { renderOverLimit } from './check.js';

const ZERO_ID = '0'.repeat(40);

async function readStdin(): Promise<string> {
  // A terminal is not git: under a hook manager that does not pass git's stdin on (lefthook
  // without use_stdin), reading nothing would let every push through.
  if (process.stdin.isTTY) {
    throw new UsageError(
      "stdin is a terminal, not git's list of pushed refs; this command is meant to be run by git's pre-push hook (under lefthook, set use_stdin: true)",
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The pushed ref pre-commit hands its hooks, as a line of git's pre-push input. The remote's
 * commit is not among pre-commit's variables: all zeros, as for a new branch, which the gate
 * counts from the merge base like any other.
 */
async function preCommitInput(repo: Repo): Promise<string> {
  const push = preCommitPush(process.env);
  if (push.status === 'missing') {
    throw new UsageError(
      `--pre-commit: ${push.names.join(' and ')} not set; this is meant to be run by pre-commit's pre-push hook (pre-commit install -t pre-push), which sets them`,
    );
  }
  const sha = push.localSha ?? (await resolveCommit(repo.toplevel, push.localRef));
  if (sha === null) {
    throw new UsageError(
      `--pre-commit: PRE_COMMIT_LOCAL_BRANCH ${JSON.stringify(push.localRef)} is not a commit here`,
    );
  }
  return `${push.localRef} ${sha} ${push.remoteRef} ${ZERO_ID}\n`;
}

/**
 * Run by the pre-push hook: gates every branch pushed; exit 1 blocks the push. In a repository
 * without a tmc-orch config it does nothing: a hook installed in a folder many repositories share
 * (a global core.hooksPath) must not gate the others.
 */
export async function run(
  remote: string | undefined,
  _url: string | undefined,
  flags: { preCommit?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const repo = await ctx.repo();
  if (repo.configFile === null) {
    if (ctx.out.json)
      ctx.out.data({ remote: remote ?? null, configured: false, passed: true, refs: [] });
    return 0;
  }
  const stdin = flags.preCommit ? await preCommitInput(repo) : await readStdin();
  const results = await gatePush(repo, stdin);
  const blocked = results.filter((r) => r.report !== null && !r.report.withinLimit);
  // The plan's prePush gates, once the size check has passed (issue 12).
  const gates =
    blocked.length === 0 && repo.config.plan?.gates.some((g) => g.prePush)
      ? await runPlanGates(repo, results, ctx)
      : null;
  const passed = blocked.length === 0 && (gates?.passed ?? true);
  if (ctx.out.json) {
    ctx.out.data({
      remote: remote ?? null,
      configured: true,
      passed,
      refs: results,
      gates,
    });
    return passed ? 0 : 1;
  }
  const { out } = ctx;
  const base = results.some((r) => r.skipped === 'unrelated') ? await baseRef(repo) : '';
  for (const { ref, report, largest, skipped } of results) {
    const branch = ref.remoteRef.replace(/^refs\/heads\//, '');
    if (skipped === 'unrelated') {
      out.info(
        `tmc-orch: ${branch} shares no history with the base ${base}, so it is no PR against it: not gated`,
      );
    }
    if (!report) continue;
    const counts = `${report.counted.lines} counted lines (${report.excluded.lines} generated excluded), size ${report.size}`;
    if (report.withinLimit) {
      out.info(`tmc-orch: ${branch}: ${counts}, under the limit of ${report.limit}`);
      continue;
    }
    out.info(
      out.color.red(`tmc-orch: push of ${branch} refused: ${counts}, limit ${report.limit}`),
    );
    renderOverLimit(largest, out);
    out.info('to bypass the gate deliberately: git push --no-verify');
  }
  if (gates) renderPlanGates(gates, out);
  return passed ? 0 : 1;
}

async function runPlanGates(repo: Repo, results: readonly GateResult[], ctx: CommandContext) {
  const { runPrePushGates } = await import('../gates/pre-push.js');
  const { describeOutcome, formatSeconds } = await import('../gates/run.js');
  const pushed = results.flatMap((r) => (r.report ? [r.ref] : []));
  return runPrePushGates(repo, repo.config.plan as Plan, pushed, (event) => {
    if (event.kind === 'start') ctx.out.info(`tmc-orch: ${event.worktree}: gate ${event.gate}…`);
    else {
      const { result } = event;
      const text = `tmc-orch: ${event.worktree}: gate ${result.gate} ${describeOutcome(result)} (${formatSeconds(result.durationMs)})`;
      ctx.out.info(
        result.status === 'passed' ? text : ctx.out.color.red(`${text}, log: ${result.log}`),
      );
    }
  });
}

function renderPlanGates(gates: PrePushGates, out: Output): void {
  for (const missed of gates.notRun) {
    out.warn(
      `${missed.remoteRef.replace(/^refs\/heads\//, '')}: gates not run, no worktree has ${missed.commit.slice(0, 10)} checked out; run tmc-orch gate where it is`,
    );
  }
  if (!gates.passed) {
    out.info(
      out.color.red(
        `tmc-orch: push refused: a gate failed (see its log above); fix it and push again, or bypass deliberately: git push --no-verify`,
      ),
    );
  }
}
