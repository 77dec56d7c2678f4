import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BIN } from './cli.js';
import { tempDir, type TestRepo } from './repo.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** husky's real package, a devDependency of tmc-orch (it has no install script). */
export const HUSKY_BIN = path.join(ROOT, 'node_modules/husky/bin.js');

/** The lefthook release the tests run: its npm package, binary included. */
const LEFTHOOK_VERSION = '2.2.1';

/**
 * lefthook's real npm package, installed once per machine into a folder of the temp dir. It is
 * no devDependency on purpose: its postinstall runs `lefthook install`, and npm 10 (Node 20's)
 * ignores `allowScripts`, so every `npm ci` of tmc-orch would write a lefthook.yml and hooks
 * into the contributor's clone. Installed with --ignore-scripts, the binary still arrives (an
 * optional dependency per platform).
 */
export async function lefthookBin(): Promise<string> {
  const dir = path.join(os.tmpdir(), `tmc-orch-test-lefthook-${LEFTHOOK_VERSION}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'lefthook');
  if (existsSync(bin)) return bin;
  // Install beside, then rename into place: two test processes may race, and a half-installed
  // folder must never look installed.
  const staging = mkdtempSync(`${dir}.staging-`);
  await execa(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `lefthook@${LEFTHOOK_VERSION}`,
    ],
    { stdio: 'ignore' },
  );
  try {
    renameSync(staging, dir);
  } catch {
    // Another process won the race: its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
  }
  return bin;
}

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
