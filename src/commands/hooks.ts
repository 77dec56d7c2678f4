import { realpathSync } from 'node:fs';
import path from 'node:path';
import { installHook, uninstallHook } from '../linecount/hooks/install.js';
import type { HookCommand } from '../linecount/hooks/script.js';
import { hookStatus } from '../linecount/hooks/status.js';
import { renderTable } from '../ui/table.js';
import type { CommandContext } from './context.js';

/** The absolute node and script running now: what a machine-local hook records. */
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
  const warnings =
    repo.configFile === null
      ? [
          `no ${path.join(repo.mainRoot, '.tmc-orch.json')}: the hook lets every push through until you run tmc-orch init`,
        ]
      : [];
  if (ctx.out.json) {
    ctx.out.data({ ...result, warnings });
    return 0;
  }
  const { out } = ctx;
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
    'in-config': `the gate runs from ${result.file}; remove its tmc-orch entry there`,
  }[result.action];
  ctx.out.line(text);
  return 0;
}

export async function status(_flags: Record<string, never>, ctx: CommandContext): Promise<number> {
  const repo = await ctx.repo();
  const rows = await hookStatus(repo, process.env.PATH ?? '');
  if (ctx.out.json) {
    ctx.out.data({ worktrees: rows });
    return 0;
  }
  const { color } = ctx.out;
  for (const line of renderTable(rows, [
    { header: 'WORKTREE', value: (r) => r.worktree },
    { header: 'GATE', value: (r) => (r.runs ? color.green('runs') : color.red('off')) },
    { header: 'VIA', value: (r) => (r.chained ? `${r.manager} (after chained hook)` : r.manager) },
    { header: 'NOTES', value: (r) => r.problem ?? (r.warning ? color.yellow(r.warning) : '') },
  ])) {
    ctx.out.line(line);
  }
  return 0;
}
