import { initConfig, type InitOptions } from '../config/init.js';
import { UsageError } from '../errors.js';
import type { CommandContext } from './context.js';

export interface InitFlags {
  base?: string;
  remote?: string;
  worktreeRoot?: string;
  branchPrefix?: string;
  sharedDir?: string;
  limit?: string;
  force?: boolean;
}

export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a positive whole number; pass e.g. ${flag} 700`,
    );
  }
  return Number(value);
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
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const { out } = ctx;
  out.line(`${out.color.green('wrote')} ${result.file}`);
  for (const dir of result.created) out.line(`${out.color.green('created')} ${dir}`);
  for (const warning of result.warnings) out.warn(warning);
  out.info(`next: tmc-orch worktree add <name>`);
  return 0;
}
