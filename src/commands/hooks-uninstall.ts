import { uninstallHook } from '../linecount/hooks/install.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const result = await uninstallHook(await ctx.repo());
  return {
    exitCode: 0,
    data: result,
    render(out) {
      const text = {
        removed: `removed the gate from ${result.file}`,
        restored: `restored the previous hook ${result.file}`,
        'not-installed': `no tmc-orch hook in ${result.file}; nothing to do`,
        'in-config': `the gate runs from ${result.file}; remove its tmc-orch entry there`,
      }[result.action];
      out.line(text);
    },
  };
}
