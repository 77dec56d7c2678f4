import { completionScript } from '../shell/completion.js';
import type { Shell } from '../shell/init.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface CompletionInput {
  shell: Shell;
}

export function run(input: CompletionInput, _ctx: CommandContext): Promise<CommandResult> {
  const script = completionScript(input.shell);
  return Promise.resolve({
    exitCode: 0,
    data: { shell: input.shell, script },
    render(out) {
      for (const line of script.trimEnd().split('\n')) out.line(line);
    },
  });
}
