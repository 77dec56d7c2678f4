import path from 'node:path';
import { cleanWorktrees } from '../worktrees/clean.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface WorktreeCleanInput {
  dryRun: boolean;
}

export async function run(input: WorktreeCleanInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const result = await cleanWorktrees(repo, { dryRun: input.dryRun, agent: ctx.identity });
  return {
    exitCode: 0,
    data: result,
    render(out) {
      const { color } = out;
      const rel = (p: string) => path.relative(repo.cwd, p) || '.';
      for (const w of result.worktrees) {
        const branch = w.branch ? ` (${w.branch})` : '';
        if (w.action === 'kept') {
          out.line(`${color.dim('kept')}    ${w.name}${branch}: ${w.reason}`);
        } else {
          const verb =
            w.action === 'removed' ? color.green('removed') : color.yellow('would remove');
          out.line(`${verb} ${w.name}${branch}: ${w.how} into ${result.base}, ${rel(w.path)}`);
        }
      }
      if (result.worktrees.length === 0) out.line('no linked worktrees');
      for (const warning of result.warnings) out.warn(warning);
      if (result.dryRun && result.worktrees.some((w) => w.action === 'would-remove')) {
        out.info('next: tmc-orch worktree clean');
      }
    },
  };
}
