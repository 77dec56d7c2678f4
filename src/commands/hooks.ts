import { realpathSync } from 'node:fs';
import { hookStatus, installHook, uninstallHook, type HookCommand } from '../linecount/hooks.js';
import type { CommandContext } from './context.js';

/** The absolute node and script running now: what the hook records, so PATH does not matter. */
export function currentCommand(): HookCommand {
  const script = process.argv[1] ?? '';
  let resolved = script;
  try {
    resolved = realpathSync(script);
  } catch {
    // Keep the path as given.
  }
  return { node: process.execPath, script: resolved };
}

export async function install(flags: { force?: boolean }, ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const result = await installHook(repo, currentCommand(), { force: Boolean(flags.force) });
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const { out } = ctx;
  const verb = {
    installed: 'installed',
    chained: 'installed (chaining the existing hook)',
    updated: 'updated',
    unchanged: 'already installed',
  }[result.action];
  out.line(`${out.color.green(verb)} ${result.file}`);
  if (result.chained) out.line(`chained ${result.chained} (runs first, same arguments and stdin)`);
  out.info('check every worktree: tmc-orch hooks status');
  return 0;
}

export async function uninstall(
  _flags: Record<string, never>,
  ctx: CommandContext,
): Promise<number> {
  const repo = await ctx.repo();
  const result = await uninstallHook(repo);
  if (ctx.out.json) {
    ctx.out.data(result);
    return 0;
  }
  const text = {
    removed: `removed the gate from ${result.file}`,
    restored: `restored the previous hook ${result.file}`,
    'not-installed': `no tmc-orch hook in ${result.file}; nothing to do`,
  }[result.action];
  ctx.out.line(text);
  return 0;
}

export async function status(_flags: Record<string, never>, ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const rows = await hookStatus(repo);
  if (ctx.out.json) {
    ctx.out.data({ worktrees: rows });
    return 0;
  }
  const { color } = ctx.out;
  await ctx.out.table(rows, [
    { header: 'WORKTREE', value: (r) => r.worktree },
    { header: 'GATE', value: (r) => (r.runs ? color.green('runs') : color.red('off')) },
    { header: 'VIA', value: (r) => (r.chained ? `${r.manager} (after chained hook)` : r.manager) },
    { header: 'WHY NOT', value: (r) => r.problem ?? '', shrink: true },
  ]);
  return 0;
}
