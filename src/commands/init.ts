import { initConfig, type InitOptions } from '../config/init.js';
import { RefusedError } from '../errors.js';
import type { CommandContext } from './context.js';
import { parsePositiveInt } from './flags.js';

export interface InitFlags {
  base?: string;
  remote?: string;
  worktreeRoot?: string;
  branchPrefix?: string;
  sharedDir?: string;
  limit?: string;
  force?: boolean;
}

/** The pre-push gate comes with init; a refusal (e.g. lefthook) becomes a warning. */
async function installGate(ctx: CommandContext, warnings: string[]) {
  const { installHook } = await import('../linecount/hooks/install.js');
  const { currentCommand } = await import('./hooks.js');
  try {
    return await installHook(await ctx.repo(), currentCommand(), { force: false });
  } catch (error) {
    if (!(error instanceof RefusedError)) throw error;
    warnings.push(`pre-push gate not installed: ${error.message}`);
    return null;
  }
}

export async function run(flags: InitFlags, ctx: CommandContext): Promise<number> {
  const options: InitOptions = { force: Boolean(flags.force) };
  if (flags.base !== undefined) options.base = flags.base;
  if (flags.remote !== undefined) options.remote = flags.remote;
  if (flags.worktreeRoot !== undefined) options.worktreeRoot = flags.worktreeRoot;
  if (flags.branchPrefix !== undefined) options.branchPrefix = flags.branchPrefix;
  if (flags.sharedDir !== undefined) options.sharedDir = flags.sharedDir;
  if (flags.limit !== undefined) options.limit = parsePositiveInt(flags.limit, '--limit');

  const result = await initConfig(ctx.cwd, options);
  const hook = await installGate(ctx, result.warnings);
  if (ctx.out.json) {
    ctx.out.data({ ...result, hook });
    return 0;
  }
  const { out } = ctx;
  out.line(`${out.color.green('wrote')} ${result.file}`);
  for (const dir of result.created) out.line(`${out.color.green('created')} ${dir}`);
  for (const preset of result.presets) {
    out.line(`${out.color.green('enabled')} the ${preset} preset of generated files`);
  }
  if (hook?.via === 'config') {
    out.line(`${out.color.green('found')} the pre-push gate in ${hook.file}`);
    if (hook.next) out.warn(`${hook.manager} has not installed its hook here; run: ${hook.next}`);
  } else if (hook) {
    out.line(`${out.color.green('installed')} the pre-push gate in ${hook.file}`);
  }
  for (const warning of result.warnings) out.warn(warning);
  out.info(`next: tmc-orch worktree add <name>`);
  return 0;
}
