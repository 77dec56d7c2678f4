import { findWorktree } from '../worktrees/lookup.js';
import { createWorktree, failedStep } from '../worktrees/setup.js';
import { showCommand } from '../ui/format.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface SwitchInput {
  name: string;
  /** -c: create the worktree first (as worktree add does, setup included). */
  create: boolean;
  copy: boolean;
}

/**
 * Prints the worktree's path as the one line of stdout; the shell function of shell-init changes
 * into it. Run without the function, it says how to install it.
 */
export async function run(input: SwitchInput, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const created = input.create
    ? await createWorktree(
        repo,
        { name: input.name },
        // On stderr under --json too, as worktree add does: why a postCreate command failed.
        { copy: input.copy, env: ctx.env, onLine: (line) => ctx.out.error(line) },
      )
    : null;
  const wt = created ?? (await findWorktree(repo, input.name));
  const failed = created ? failedStep(created) : null;
  const underShell = ctx.env.TMC_ORCH_SHELL === '1';
  return {
    exitCode: failed ? 1 : 0,
    data: { name: wt.name, path: wt.path, branch: wt.branch, created: created !== null },
    render(out) {
      if (created) out.info(`created worktree ${created.name} on branch ${created.branch}`);
      if (failed) {
        out.error(
          `postCreate command failed (${failed.reason}): ${showCommand(failed.command)}; the worktree stays at ${wt.path}`,
        );
      }
      out.line(wt.path);
      if (!underShell) {
        out.info(
          'switch changes directory through a shell function: add eval "$(tmc-orch shell-init bash)" to ~/.bashrc (zsh: shell-init zsh; fish: tmc-orch shell-init fish | source), or run: cd ' +
            wt.path,
        );
      }
    },
  };
}
