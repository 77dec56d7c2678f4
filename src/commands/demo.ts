import { realpathSync } from 'node:fs';
import path from 'node:path';
import { demoSteps, exploreCommands, makeDemo, runStep, type DemoReport } from '../demo/demo.js';
import { shellWord } from '../ui/format.js';
import type { Output } from '../ui/output.js';
import { findOnPath } from '../util/fs.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface DemoInput {
  dir: string | undefined;
}

export type DemoData = DemoReport & { explore: string[] };

/** How the user runs this tool, for commands they can paste: npx, on PATH, or node <script>. */
async function invocation(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (env.npm_command === 'exec') return 'npx tmc-orch';
  const onPath = await findOnPath('tmc-orch', env.PATH ?? '');
  if (onPath !== null && realpathSync(onPath) === script) return 'tmc-orch';
  return `node ${shellWord(script)}`;
}

export async function run(input: DemoInput, ctx: CommandContext): Promise<CommandResult<DemoData>> {
  const { script } = ctx.self;
  const progress = ctx.out.progress('building the demo repository…');
  let report: DemoReport;
  try {
    report = await makeDemo({
      dir: input.dir,
      cwd: ctx.cwd,
      now: new Date(),
      command: ctx.self,
      onProgress: (step) => progress.update(step),
    });
  } finally {
    progress.stop();
  }
  const explore = exploreCommands(report, await invocation(script, ctx.env));
  return {
    exitCode: 0,
    data: { ...report, explore },
    render: (out) => render(report, explore, { self: ctx.self, env: ctx.env }, out),
  };
}

async function render(
  report: DemoReport,
  explore: readonly string[],
  runner: { self: { node: string; script: string }; env: NodeJS.ProcessEnv },
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
    await runStep(runner.self, step, runner.env);
  }
  out.line();
  out.line(color.bold('Explore further:'));
  for (const command of explore) out.line(`  ${command}`);
  out.line();
  out.line(`The demo is in ${report.dir}`);
  out.line(`Remove it when done: rm -rf ${shellWord(report.dir)}`);
}
