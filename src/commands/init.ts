import { initConfig, type InitOptions } from '../config/init.js';
import { RefusedError } from '../errors.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export type InitInput = InitOptions;

/**
 * The pre-push gate comes with init; a refusal (e.g. lefthook) becomes a warning: the one
 * returned, also in `warnings`.
 */
async function installGate(ctx: CommandContext, warnings: string[]) {
  const { installHook } = await import('../linecount/hooks/install.js');
  try {
    return { hook: await installHook(await ctx.repo(), ctx.self, { force: false }), refusal: null };
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    const refusal = `pre-push gate not installed: ${error.message}`;
    warnings.push(refusal);
    return { hook: null, refusal };
  }
}

export async function run(input: InitInput, ctx: CommandContext): Promise<CommandResult> {
  const result = await initConfig(ctx.cwd, input);
  const { hook, refusal } = await installGate(ctx, result.warnings);
  if (input.coordination === 'remote') {
    // A host that refuses our refs is found now, not at the first claim.
    const { remoteProblem } = await import('../doctor/doctor.js');
    const { finding } = await remoteProblem(await ctx.repo());
    if (finding) result.warnings.push(finding.problem);
  }
  return {
    exitCode: 0,
    data: { ...result, hook },
    render(out) {
      out.line(`${out.color.green('wrote')} ${result.file}`);
      for (const dir of result.created) out.line(`${out.color.green('created')} ${dir}`);
      for (const preset of result.presets) {
        out.line(`${out.color.green('enabled')} the ${preset} preset of generated files`);
      }
      if (hook?.via === 'config') {
        out.line(`${out.color.green('found')} the pre-push gate in ${hook.file}`);
        if (hook.next)
          out.warn(`${hook.manager} has not installed its hook here; run: ${hook.next}`);
      } else if (hook) {
        out.line(`${out.color.green('installed')} the pre-push gate in ${hook.file}`);
      }
      for (const warning of result.warnings) {
        if (warning !== refusal) {
          out.warn(warning);
          continue;
        }
        // Our own text with a config snippet to paste: its lines as lines (each escaped), as
        // `tmc-orch hooks install` prints the same refusal.
        const [first = '', ...rest] = warning.split('\n');
        out.warn(first);
        for (const text of rest) out.info(text);
      }
      out.info(`next: tmc-orch worktree add <name>`);
    },
  };
}
