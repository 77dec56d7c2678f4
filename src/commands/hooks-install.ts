import path from 'node:path';
import { installHook } from '../linecount/hooks/install.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface HooksInstallInput {
  force: boolean;
}

export async function run(input: HooksInstallInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const result = await installHook(repo, ctx.self, { force: input.force });
  const warnings =
    repo.configFile === null
      ? [
          `no ${path.join(repo.mainRoot, '.tmc-orch.json')}: the hook lets every push through until you run tmc-orch init`,
        ]
      : [];
  return {
    exitCode: 0,
    data: { ...result, warnings },
    render(out) {
      if (result.via === 'config') {
        out.line(`${out.color.green('already installed')}: ${result.file} runs the gate`);
        if (result.next)
          out.warn(`${result.manager} has not installed its hook here; run: ${result.next}`);
      } else {
        const verb = {
          installed: 'installed',
          chained: 'installed (chaining the existing hook)',
          updated: 'updated',
          unchanged: 'already installed',
        }[result.action];
        out.line(`${out.color.green(verb)} ${result.file}`);
        if (result.chained)
          out.line(`chained ${result.chained} (runs first, same arguments and stdin)`);
        if (result.portable) {
          out.info(
            'the file is for committing: it runs node_modules/.bin/tmc-orch, else tmc-orch on PATH',
          );
        }
      }
      for (const warning of warnings) out.warn(warning);
      out.info('check every worktree: tmc-orch hooks status');
    },
  };
}
