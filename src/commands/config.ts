import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const data = {
    file: repo.configFile,
    config: repo.config,
    paths: { mainRoot: repo.mainRoot, worktreeRoot: repo.worktreeRoot, sharedDir: repo.sharedDir },
  };
  return {
    exitCode: 0,
    data,
    render(out) {
      out.line(`# ${repo.configFile ?? 'no config file: defaults (tmc-orch init writes one)'}`);
      // One line at a time: output escapes line breaks inside a line.
      for (const line of JSON.stringify(data.config, null, 2).split('\n')) out.line(line);
      out.line(`# worktreeRoot: ${repo.worktreeRoot}`);
      out.line(`# sharedDir:    ${repo.sharedDir}`);
    },
  };
}
