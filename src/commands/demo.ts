import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  demoSteps,
  exploreCommands,
  makeDemo,
  runStep,
  shellQuote,
  type DemoReport,
} from '../demo/demo.js';
import type { Output } from '../ui/output.js';
import { findOnPath } from '../util/fs.js';
import type { CommandContext } from './context.js';
import type { CommandResult } from './result.js';

export interface DemoInput {
  dir: string | undefined;
}

export type DemoData = DemoReport & { explore: string[] };

/** bin/tmc-orch.js: two folders up from this module, compiled (dist/commands) or bundled (dist/bundle). */
function binScript(): string {
  const script = fileURLToPath(new URL('../../bin/tmc-orch.js', import.meta.url));
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

/** How the user runs this tool, for commands they can paste: npx, on PATH, or node <script>. */
async function invocation(script: string): Promise<string> {
  if (process.env.npm_command === 'exec') return 'npx tmc-orch';
  const onPath = await findOnPath('tmc-orch', process.env.PATH ?? '');
  if (onPath !== null && realpathSync(onPath) === script) return 'tmc-orch';
  return `node ${shellQuote(script)}`;
}

export async function run(input: DemoInput, ctx: CommandContext): Promise<CommandResult<DemoData>> {
  const script = binScript();
  const progress = ctx.out.progress('building the demo repository…');
  let report: DemoReport;
  try {
    report = await makeDemo({
      dir: input.dir,
      cwd: ctx.cwd,
      now: new Date(),
      command: { node: process.execPath, script },
      onProgress: (step) => progress.update(step),
    });
  } finally {
    progress.stop();
  }
  const explore = exploreCommands(report, await invocation(script));
  return {
    exitCode: 0,
    data: { ...report, explore },
    render: (out) => render(report, explore, script, out),
  };
}

async function render(
  report: DemoReport,
  explore: readonly string[],
  script: string,
  out: Output,
): Promise<void> {
  const { color } = out;
  const seconds = (report.buildMs / 1000).toFixed(1);
  out.line(
    `${color.green(report.replaced ? 'rebuilt' : 'built')} a demo in ${report.dir} (${seconds} s): a Go module on a bare remote, ${report.worktrees.length} worktrees from the team's plan, claims, status-log entries`,
  );
  for (const step of demoSteps(report)) {
    out.line();
    const where = path.relative(report.dir, step.cwd);
    const env = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${v} `);
    out.line(
      color.bold(`$ ${env.join('')}tmc-orch ${step.args.join(' ')}`) +
        color.dim(`   # in ${where}: ${step.title}`),
    );
    await runStep(script, step);
  }
  out.line();
  out.line(color.bold('Explore further:'));
  for (const command of explore) out.line(`  ${command}`);
  out.line();
  out.line(`The demo is in ${report.dir}`);
  out.line(`Remove it when done: rm -rf ${shellQuote(report.dir)}`);
}
