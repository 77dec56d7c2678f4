import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BIN } from './cli.js';
import { tempDir, type TestRepo } from './repo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The hook managers' real packages, devDependencies of tmc-orch. */
export const HUSKY_BIN = path.join(ROOT, 'node_modules/husky/bin.js');
export const LEFTHOOK_BIN = path.join(ROOT, 'node_modules/.bin/lefthook');

export const lines = (n: number, tag = 'l') =>
  Array.from({ length: n }, (_, i) => `${tag}${i}\n`).join('');

/** The base PATH of a push: git and the usual tools, and no tmc-orch. */
export const SYSTEM_PATH = '/usr/bin:/bin';

/**
 * git push as a user runs it, from a shell whose PATH has git but no tmc-orch (unless `path`
 * says otherwise).
 */
export async function push(
  cwd: string,
  args: string[],
  options: { path?: string; env?: Record<string, string> } = {},
) {
  const result = await execa('git', ['push', ...args], {
    cwd,
    reject: false,
    env: { PATH: options.path ?? SYSTEM_PATH, ...options.env },
  });
  return {
    exitCode: result.exitCode ?? -1,
    stderr: String(result.stderr),
    stdout: String(result.stdout),
  };
}

/** A folder for PATH holding `tmc-orch` (the binary under test) and the `node` running the tests. */
export function tmcOrchOnPath(): string {
  const dir = tempDir('tmc-orch-path-');
  symlinkSync(BIN, path.join(dir, 'tmc-orch'));
  symlinkSync(process.execPath, path.join(dir, 'node'));
  return dir;
}

/** A folder for PATH with only the tools a hook needs besides node and tmc-orch. */
export async function toolsOnlyPath(): Promise<string> {
  const dir = tempDir('tmc-orch-tools-');
  for (const tool of ['git', 'cat', 'dirname', 'basename', 'sh', 'env']) {
    const { stdout } = await execa('sh', ['-c', `command -v ${tool}`]);
    symlinkSync(stdout.trim(), path.join(dir, tool));
  }
  return dir;
}

/** `node_modules/.bin/tmc-orch` in a worktree, as `npm install --save-dev tmc-orch` makes it. */
export function installLocally(worktree: string): void {
  mkdirSync(path.join(worktree, 'node_modules/.bin'), { recursive: true });
  symlinkSync(BIN, path.join(worktree, 'node_modules/.bin/tmc-orch'));
}

/** Makes the repository a tmc-orch project: the hook does nothing without `.tmc-orch.json`. */
export function configure(repo: TestRepo, config: Record<string, unknown> = {}): void {
  writeFileSync(path.join(repo.main, '.tmc-orch.json'), `${JSON.stringify(config)}\n`);
}
