import { UsageError } from '../errors.js';
import { resolveCommit } from '../git/index.js';
import type { PrePushGates } from '../gates/pre-push.js';
import { gatePush, type RefVerdict } from '../linecount/gate.js';
import { preCommitPush } from '../linecount/hooks/pre-commit-env.js';
import { baseRef, type Repo } from '../repo.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import type { Plan } from '../plan/schema.js';
import { renderOverLimit } from '../ui/lines.js';
import type { Output } from '../ui/output.js';
import { shortId } from '../ui/format.js';

const ZERO_ID = '0'.repeat(40);

export interface HookPrePushInput {
  remote?: string;
  /** Read the pushed branch from pre-commit's PRE_COMMIT_* variables, not stdin. */
  preCommit: boolean;
}

async function readStdin(stdin: CommandContext['stdin']): Promise<string> {
  // A terminal is not git: under a hook manager that does not pass git's stdin on (lefthook
  // without use_stdin), reading nothing would let every push through.
  if (stdin.isTTY) {
    throw new UsageError(
      "stdin is a terminal, not git's list of pushed refs; this command is meant to be run by git's pre-push hook (under lefthook, set use_stdin: true)",
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The pushed ref pre-commit hands its hooks, as a line of git's pre-push input. The remote's
 * commit is not among pre-commit's variables: all zeros, as for a new branch, which the gate
 * counts from the merge base like any other.
 */
async function preCommitInput(repo: Repo, env: NodeJS.ProcessEnv): Promise<string> {
  const push = preCommitPush(env);
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
export async function run(input: HookPrePushInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const remote = input.remote ?? null;
  if (repo.configFile === null) {
    return {
      exitCode: 0,
      data: { remote, configured: false, passed: true, refs: [] },
      render() {},
    };
  }
  const stdin = input.preCommit ? await preCommitInput(repo, ctx.env) : await readStdin(ctx.stdin);
  const results = await gatePush(repo, stdin);
  const blocked = results.filter((r) => r.report !== null && !r.report.withinLimit);
  // The plan's prePush gates, once the size check has passed (issue 12).
  const gates =
    blocked.length === 0 && repo.config.plan?.gates.some((g) => g.prePush)
      ? await runPlanGates(repo, repo.config.plan, results, ctx)
      : null;
  const passed = blocked.length === 0 && (gates?.passed ?? true);
  const base = results.some((r) => r.skipped === 'unrelated') ? await baseRef(repo) : '';
  return {
    exitCode: passed ? 0 : 1,
    data: { remote, configured: true, passed, refs: results, gates },
    async render(out) {
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
        const local = ref.localRef.startsWith('refs/heads/')
          ? ref.localRef.slice('refs/heads/'.length)
          : null;
        renderOverLimit(largest, out, local, report);
        out.info('to bypass the gate deliberately: git push --no-verify');
      }
      if (gates) await renderPlanGates(gates, out);
    },
  };
}

/** The gates run live behind a progress display; their verdicts are rendered with the rest. */
async function runPlanGates(
  repo: Repo,
  plan: Plan,
  results: readonly RefVerdict[],
  ctx: CommandContext,
): Promise<PrePushGates | null> {
  const { runPrePushGates } = await import('../gates/pre-push.js');
  const pushed = results.flatMap((r) => (r.report ? [r.ref] : []));
  const progress = ctx.out.progress('tmc-orch: running the pre-push gates…');
  try {
    return await runPrePushGates(repo, plan, pushed, (event) => {
      if (event.kind === 'start') {
        progress.update(`tmc-orch: ${event.worktree}: gate ${event.gate}…`);
      }
    });
  } finally {
    progress.stop();
  }
}

async function renderPlanGates(gates: PrePushGates, out: Output): Promise<void> {
  const { describeOutcome, formatSeconds } = await import('../gates/run.js');
  for (const w of gates.worktrees) {
    if (w.status === 'busy') {
      out.info(
        out.color.red(
          `tmc-orch: ${w.worktree}: gates already running there; push again once they end`,
        ),
      );
      continue;
    }
    for (const result of w.record.gates) {
      const text = `tmc-orch: ${w.worktree}: gate ${result.gate} ${describeOutcome(result)} (${formatSeconds(result.durationMs)})`;
      out.info(result.status === 'passed' ? text : out.color.red(`${text}, log: ${result.log}`));
    }
  }
  for (const missed of gates.notRun) {
    out.warn(
      `${missed.remoteRef.replace(/^refs\/heads\//, '')}: gates not run, no worktree has ${shortId(missed.commit)} checked out; run tmc-orch gate where it is`,
    );
  }
  if (!gates.passed) {
    out.info(
      out.color.red(
        'tmc-orch: push refused: a gate failed (see its log above); fix it and push again, or bypass deliberately: git push --no-verify',
      ),
    );
  }
}
