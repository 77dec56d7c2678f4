import { readFile } from 'node:fs/promises';
import { configSources } from '../config/sources.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  // Read again for its keys only: loading it has validated it already.
  const raw: unknown = repo.configFile
    ? JSON.parse((await readFile(repo.configFile, 'utf8')).replace(/^\uFEFF/, ''))
    : {};
  const sources = configSources(repo.config as Record<string, unknown>, raw);
  const agentSource = ctx.identity.explicit
    ? { flag: '--agent', env: 'TMC_AGENT', file: 'user' }[ctx.identity.source]
    : 'default';
  const data = {
    file: repo.configFile,
    config: repo.config,
    sources,
    agent: { id: ctx.identity.id, source: agentSource },
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
      out.line(`# agent:        ${ctx.identity.id} (${agentSource})`);
      const fromFile = Object.entries(sources)
        .filter(([, source]) => source === 'repository')
        .map(([key]) => key);
      out.line(
        `# set by the repository: ${fromFile.length > 0 ? fromFile.join(', ') : 'nothing'}; every other value is a default`,
      );
    },
  };
}
