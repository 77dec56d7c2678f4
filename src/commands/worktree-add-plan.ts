import path from 'node:path';
import { addPlannedWorktrees, type PlannedWorktree } from '../plan/create.js';
import { requirePlan } from '../plan/require.js';
import type { Output } from '../ui/output.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface AddFromPlanInput {
  /** Where new branches start (default: the base). */
  from?: string;
}

export async function run(
  input: AddFromPlanInput,
  ctx: CommandContext,
): Promise<CommandResult<{ worktrees: PlannedWorktree[] }>> {
  const repo = await ctx.repo();
  const plan = requirePlan(repo);
  const results = await addPlannedWorktrees(
    repo,
    plan,
    input.from !== undefined ? { from: input.from } : {},
  );
  const failed = results.some((r) => r.status === 'failed');
  return {
    exitCode: failed ? 1 : 0,
    data: { worktrees: results },
    render: (out) => render(results, out, repo.cwd),
  };
}

function render(results: readonly PlannedWorktree[], out: Output, cwd: string): void {
  const { color } = out;
  const rel = (p: string) => path.relative(cwd, p) || '.';
  for (const r of results) {
    if (r.status === 'exists') out.line(`${color.dim('exists ')} ${r.name} at ${rel(r.path)}`);
    else if (r.status === 'created') {
      const { result } = r;
      const how = result.created
        ? `new branch ${result.branch} from ${result.from}`
        : `existing branch ${result.branch}`;
      out.line(`${color.green('created')} ${r.name} at ${rel(result.path)} (${how})`);
      for (const warning of result.warnings) out.warn(`${r.name}: ${warning}`);
    } else out.line(`${color.red('failed ')} ${r.name}: ${r.message}`);
  }
  if (results.length === 0) out.line('the plan names no worktree besides the main one');
}
