import { mkdir, stat } from 'node:fs/promises';
import { pathExists, writeFileAtomic } from '../util/fs.js';
import path from 'node:path';
import { RefusedError, UsageError } from '../errors.js';
import { isValidBranchName, remoteExists, repoPaths } from '../git/index.js';
import { parseConfig, resolvePaths, worktreeRootProblem } from './load.js';
import { CONFIG_FILE, type Config, type ConfigInput } from './schema.js';

export interface InitOptions {
  base?: string;
  remote?: string;
  worktreeRoot?: string;
  branchPrefix?: string;
  sharedDir?: string;
  limit?: number;
  coordination?: 'local' | 'remote';
  force: boolean;
}

export interface InitResult {
  file: string;
  config: Config;
  /** Folders that init created. */
  created: string[];
  /** Things the user may want to fix, e.g. a remote that does not exist yet. */
  warnings: string[];
  /** Generated-file presets turned on because the repository looks like their project. */
  presets: string[];
}

/** kcp keeps its generated CRDs and APIResourceSchemas in these folders. */
async function looksLikeKcp(root: string): Promise<boolean> {
  return (
    (await pathExists(path.join(root, 'config', 'crds'))) &&
    (await pathExists(path.join(root, 'config', 'root-phase0')))
  );
}

/** Whether `dir` is a folder, or could be made one (its nearest existing ancestor is a folder). */
async function canBeFolder(dir: string): Promise<boolean> {
  let p = dir;
  while (!(await pathExists(p)) && path.dirname(p) !== p) p = path.dirname(p);
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Validates everything first, then writes `.tmc-orch.json` and creates the folders. */
export async function initConfig(cwd: string, options: InitOptions): Promise<InitResult> {
  const paths = await repoPaths(cwd);
  const file = path.join(paths.mainRoot, CONFIG_FILE);

  const input: ConfigInput = {};
  if (options.base !== undefined) input.base = options.base;
  if (options.remote !== undefined) input.remote = options.remote;
  if (options.worktreeRoot !== undefined) input.worktreeRoot = options.worktreeRoot;
  if (options.branchPrefix !== undefined) input.branchPrefix = options.branchPrefix;
  if (options.sharedDir !== undefined) input.sharedDir = options.sharedDir;
  if (options.coordination !== undefined) input.coordination = options.coordination;
  if (options.limit !== undefined) {
    // The default target (600) only fits the default limit; a smaller limit brings it along.
    input.lines =
      options.limit < 600
        ? { limit: options.limit, target: Math.max(1, Math.floor((options.limit * 6) / 7)) }
        : { limit: options.limit };
  }
  const presets: string[] = [];
  if (await looksLikeKcp(paths.mainRoot)) {
    presets.push('kcp');
    input.lines = { ...input.lines, generated: { presets: ['kcp'] } };
  }
  // The flags first, so that a bad one is named as the flag the user typed.
  const base = input.base ?? 'main';
  if (!(await isValidBranchName(paths.toplevel, base))) {
    throw new UsageError(
      `--base ${JSON.stringify(base)} is not a valid branch name; pass a branch such as main`,
    );
  }
  if (input.branchPrefix && !(await isValidBranchName(paths.toplevel, `${input.branchPrefix}x`))) {
    throw new UsageError(
      `--branch-prefix ${JSON.stringify(input.branchPrefix)} cannot start a valid branch name; use something like feature/team/`,
    );
  }
  if (input.remote && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(input.remote)) {
    throw new UsageError(
      `--remote ${JSON.stringify(input.remote)} is not a remote name; pass a name such as origin, or "" for none`,
    );
  }
  const config = parseConfig(input, file);

  if ((await pathExists(file)) && !options.force) {
    throw new RefusedError(`${file} already exists; pass --force to overwrite it`);
  }

  const warnings: string[] = [];
  if (config.remote && !(await remoteExists(paths.toplevel, config.remote))) {
    warnings.push(
      `remote ${config.remote} does not exist yet; add it with git remote add ${config.remote} <url>, or rerun with --remote ""`,
    );
  }

  const { worktreeRoot, sharedDir } = resolvePaths(config, paths.mainRoot);
  const rootProblem = worktreeRootProblem(worktreeRoot, paths.mainRoot, paths.commonDir);
  if (rootProblem) {
    throw new UsageError(
      `--worktree-root ${JSON.stringify(options.worktreeRoot ?? '')}: ${worktreeRoot} ${rootProblem}; pass a folder of its own, e.g. ../${path.basename(paths.mainRoot)}-worktrees`,
    );
  }
  for (const [dir, flag] of [
    [worktreeRoot, '--worktree-root'],
    [sharedDir, '--shared-dir'],
  ] as const) {
    if (!(await canBeFolder(dir))) {
      throw new UsageError(
        `${flag} ${dir} is (or lies under) a file, not a folder; pass a folder path (new or existing)`,
      );
    }
  }
  const created: string[] = [];
  for (const dir of [worktreeRoot, sharedDir]) {
    if (!(await pathExists(dir))) {
      await mkdir(dir, { recursive: true });
      created.push(dir);
    }
  }
  await writeFileAtomic(file, `${JSON.stringify(input, null, 2)}\n`);
  return { file, config, created, warnings, presets };
}
