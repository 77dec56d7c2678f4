import { isInside } from '../util/path.js';
import { removeWorktreeFor } from '../worktrees/worktrees.js';
import type { CommandContext } from './context.js';

export async function run(
  name: string,
  flags: { force?: boolean; deleteBranch?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const repo = await ctx.repo();
  const result = await removeWorktreeFor(repo, {
    name,
    force: Boolean(flags.force),
    deleteBranch: Boolean(flags.deleteBranch),
    agent: ctx.identity,
  });
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const { out } = ctx;
  out.line(`${out.color.green('removed')} worktree ${result.name} (${result.path})`);
  if (result.branchDeleted) out.line(`${out.color.green('deleted')} branch ${result.branch}`);
  else if (result.branch) out.info(`branch ${result.branch} kept`);
  for (const warning of result.warnings) out.warn(warning);
  if (ctx.cwd === result.path || isInside(ctx.cwd, result.path)) {
    out.info(`you were inside it: cd ${repo.mainRoot}`);
  }
  return 0;
}
