import type { CommandContext } from './context.js';

export async function run(_flags: Record<string, never>, ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const result = {
    file: repo.configFile,
    config: repo.config,
    paths: { mainRoot: repo.mainRoot, worktreeRoot: repo.worktreeRoot, sharedDir: repo.sharedDir },
  };
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  ctx.out.line(`# ${repo.configFile ?? 'no config file: defaults (tmc-orch init writes one)'}`);
  // One line at a time: output escapes line breaks inside a line.
  for (const line of JSON.stringify(result.config, null, 2).split('\n')) ctx.out.line(line);
  ctx.out.line(`# worktreeRoot: ${repo.worktreeRoot}`);
  ctx.out.line(`# sharedDir:    ${repo.sharedDir}`);
  return 0;
}
