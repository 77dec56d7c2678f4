import path from 'node:path';
import { repoPaths } from '../git/index.js';
import { importPlanFile, type PlanImportResult } from '../plan/import-file.js';
import type { Output } from '../ui/output.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface PlanImportInput {
  file: string;
  dryRun: boolean;
}

export async function run(
  input: PlanImportInput,
  ctx: CommandContext,
): Promise<CommandResult<PlanImportResult>> {
  // Not ctx.repo(): that validates the config, and a broken plan in it is what an import fixes.
  const { mainRoot } = await repoPaths(ctx.cwd);
  const source = path.resolve(ctx.cwd, input.file);
  const result = await importPlanFile(mainRoot, source, { dryRun: input.dryRun });
  return { exitCode: 0, data: result, render: (out) => render(result, out, ctx.cwd) };
}

function render(result: PlanImportResult, out: Output, cwd: string): void {
  const { color } = out;
  // Relative where that is shorter to read; a file elsewhere keeps its absolute path.
  const rel = (p: string) => {
    const relative = path.relative(cwd, p);
    return relative.startsWith('..') ? p : relative || '.';
  };
  out.line(color.bold(`read from ${rel(result.source)}:`));
  for (const line of result.read) out.line(`  ${line}`);
  if (result.unused.length > 0) {
    out.line();
    out.line(color.bold(`could not use ${result.unused.length} lines:`));
    for (const u of result.unused) {
      out.line(`  line ${u.line}: ${u.text.trim()}`);
      out.line(`    ${color.dim(u.why)}`);
    }
  }
  out.line();
  const { agents, streams, gates } = result.plan;
  const what = `${agents.length} agents, ${streams.length} streams, ${gates.length} gates${result.keptGates > 0 ? ' (kept from the config)' : ''}`;
  if (result.dryRun) {
    out.line(`${color.yellow('dry run:')} would write the plan (${what}) to ${rel(result.file)}`);
    out.info(`next: tmc-orch plan import ${rel(result.source)}`);
    return;
  }
  const verb = result.replaced ? 'replaced the plan' : 'wrote the plan';
  out.line(`${color.green(verb)} (${what}) in ${rel(result.file)}`);
  if (gates.length === 0) {
    out.info(
      'gates are commands: add them under plan.gates, e.g. {"name": "lint", "run": ["make", "lint"]}',
    );
  }
  out.info('next: tmc-orch plan, then tmc-orch worktree add --from-plan');
}
