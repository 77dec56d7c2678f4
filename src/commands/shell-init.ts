import { shellInit, type Shell } from '../shell/init.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface ShellInitInput {
  shell: Shell;
}

export function run(input: ShellInitInput, _ctx: CommandContext): Promise<CommandResult> {
  const script = shellInit(input.shell);
  return Promise.resolve({
    exitCode: 0,
    data: { shell: input.shell, script },
    render(out) {
      for (const line of script.trimEnd().split('\n')) out.line(line);
    },
  });
}
