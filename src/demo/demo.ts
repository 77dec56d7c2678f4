import { mkdtemp, mkdir, readdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadExeca } from '../util/external.js';
import { pathExists } from '../util/fs.js';
import { shellWord } from '../ui/format.js';
import { BRANCH_PREFIX } from './content.js';
import { buildDemo, demoLayout, DEMO_ENTRIES } from './build.js';

/**
 * `tmc-orch demo [DIR]`: a throwaway repository where the whole tool can be seen at work. DIR is
 * a new temp folder by default; a given DIR must be empty, or hold an earlier demo, whose
 * folders are replaced (and nothing else of DIR touched). A folder that holds anything else is
 * refused: the demo never deletes what it did not make.
 */

const MARKER = '.tmc-orch-demo';

export interface DemoReport {
  /** The folder holding everything the demo made. */
  dir: string;
  main: string;
  remote: string;
  worktreeRoot: string;
  sharedDir: string;
  /** An earlier demo in DIR was replaced. */
  replaced: boolean;
  worktrees: string[];
  /** The branch over the line limit. */
  oversized: { worktree: string; path: string; branch: string };
  /** How long building it took. */
  buildMs: number;
}

export interface DemoOptions {
  /** DIR as given (relative to cwd), or undefined for a new temp folder. */
  dir: string | undefined;
  cwd: string;
  now: Date;
  command: { node: string; script: string };
  onProgress?: (step: string) => void;
}

export async function makeDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const { dir, replaced } = await prepareDir(options.dir, options.cwd);
  const layout = demoLayout(dir);
  const built = await buildDemo(layout, {
    now: options.now,
    command: options.command,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const oversized = built.oversized;
  return {
    ...layout,
    replaced,
    worktrees: built.worktrees,
    oversized: {
      worktree: oversized,
      path: path.join(layout.worktreeRoot, oversized),
      branch: `${BRANCH_PREFIX}${oversized}`,
    },
    buildMs: Date.now() - started,
  };
}

async function prepareDir(
  given: string | undefined,
  cwd: string,
): Promise<{ dir: string; replaced: boolean }> {
  if (given === undefined) {
    const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'tmc-orch-demo-')));
    await writeFile(path.join(dir, MARKER), markerText());
    return { dir, replaced: false };
  }
  const dir = path.resolve(cwd, given);
  const real = await usableDir(dir);
  const entries = await readdir(real);
  const replaced = entries.includes(MARKER);
  if (!replaced && entries.length > 0) {
    throw new UsageError(
      `${real} is not empty and holds no earlier demo; pass a new or empty folder, e.g. tmc-orch demo ${path.join(os.tmpdir(), 'tmc-orch-demo')}`,
    );
  }
  // An earlier demo: exactly its own folders go, anything added beside them stays.
  for (const entry of DEMO_ENTRIES)
    await rm(path.join(real, entry), { recursive: true, force: true });
  await writeFile(path.join(real, MARKER), markerText());
  return { dir: real, replaced };
}

/**
 * DIR as a folder (made when missing), by its real path; a path that cannot be one (a file, a
 * dangling link, a file on its way, no permission) is bad input, named.
 */
async function usableDir(dir: string): Promise<string> {
  const refuse = (why: string) =>
    new UsageError(`${dir} ${why}; pass a new or empty folder for the demo`);
  try {
    if (await pathExists(dir)) {
      if (!(await stat(dir)).isDirectory()) throw refuse('is a file');
    } else await mkdir(dir, { recursive: true });
    return await realpath(dir);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EEXIST') throw refuse('is a link to nothing');
    if (code === 'ENOTDIR') throw refuse('cannot be a folder: a file is on its path');
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw refuse(`cannot be made: ${(error as Error).message}`);
    }
    if (code === 'ELOOP') throw refuse('is a loop of links');
    throw error;
  }
}

function markerText(): string {
  return 'Made by tmc-orch demo: a throwaway repository. Delete this folder when done.\n';
}

/** A path as a POSIX shell reads it back: quoted when it has anything but safe characters. */
export interface Step {
  title: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

/** The commands the demo runs and prints, in order. */
export function demoSteps(report: DemoReport): Step[] {
  return [
    { title: 'every worktree at a glance', args: ['status'], cwd: report.main },
    { title: 'the plan, joined with what is true now', args: ['plan'], cwd: report.main },
    {
      title: 'agent 4 tries to start, but stream 2 waits for stream 1',
      args: ['claim', '01-virtual-workspace'],
      cwd: report.main,
      env: { TMC_AGENT: 'agent-4' },
    },
    {
      title: 'the oversized branch, file by file (generated files are not counted)',
      args: ['lines', '--by-file'],
      cwd: report.oversized.path,
    },
    {
      // The plan only: --apply would add branches the rest of the demo does not explain.
      title: 'the same branch as a stack of PRs, each under the limit',
      args: ['split'],
      cwd: report.oversized.path,
    },
  ];
}

/** Commands to go on with, as the user can paste them. */
export function exploreCommands(report: DemoReport, tool: string): string[] {
  const at = (dir: string) => `${tool} -C ${shellWord(dir)}`;
  const wt = (name: string) => path.join(report.worktreeRoot, name);
  return [
    `${at(report.main)} status`,
    `${at(report.main)} plan`,
    `${at(report.main)} log show`,
    `${at(wt('03a-foundation'))} gate`,
    `${at(report.oversized.path)} lines --by-file`,
    `${at(report.oversized.path)} split --apply`,
    `TMC_AGENT=agent-4 ${at(report.main)} claim 01-virtual-workspace --force`,
    `cd ${shellWord(report.oversized.path)} && git push origin HEAD   # the pre-push hook refuses it`,
  ];
}

/** Runs one step with this very tool, its output straight to ours; stdin is never handed on. */
export async function runStep(
  self: { node: string; script: string },
  step: Step,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { execa } = await loadExeca();
  const result = await execa(self.node, [self.script, ...step.args], {
    cwd: step.cwd,
    env: { ...env, ...step.env },
    extendEnv: false,
    stdio: ['ignore', 'inherit', 'inherit'],
    reject: false,
  });
  return result.exitCode ?? -1;
}
