import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { commitFiles, makeRepo } from '../helpers/repo.js';

const TRACE = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/trace-loads.mjs'),
).href;
const HEAVY = [/^src\/repo\.ts$/, /^node_modules\/execa\//, /^node_modules\/zod\//];
const BUNDLE = path.resolve(path.dirname(BIN), '../dist/bundle');

/** The sources each file of the bundle holds, from esbuild's metafile (scripts/bundle.js). */
function sourcesOf(file: string): string[] {
  const meta = JSON.parse(readFileSync(path.join(BUNDLE, 'meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const key = path.relative(path.resolve(BUNDLE, '../..'), file);
  return Object.keys(meta.outputs[key]?.inputs ?? {});
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The heavy modules a run of the binary loaded, by the marker that found them: the sources of the
 * bundle files it loaded (main.cjs), and the modules it evaluated of program.cjs (which holds
 * them all, each evaluated on first use; the bundle traces them under TMC_TRACE_LOADS).
 */
async function heavyLoads(args: string[]): Promise<{ stdout: string; heavy: string[] }> {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-startup-'));
  const trace = path.join(dir, 'loads.txt');
  const result = await execa(process.execPath, ['--import', TRACE, BIN, ...args], {
    cwd: dir,
    env: { TMC_TRACE_LOADS: trace },
  });
  const lines = readFileSync(trace, 'utf8').trim().split('\n');
  const evaluated = lines.flatMap((l) => (l.startsWith('program:') ? [l.slice(8)] : []));
  const files = lines.filter((l) => l.startsWith('file:')).map((u) => fileURLToPath(u));
  const sources = [...files.flatMap(sourcesOf), ...evaluated];
  expect(sources).toContain('src/main.ts');
  const heavy = HEAVY.filter((marker) => sources.some((s) => marker.test(s))).map(String);
  return { stdout: result.stdout, heavy };
}

describe('start-up', () => {
  it('answers --version without loading the repository module, execa or zod', async () => {
    const { stdout, heavy } = await heavyLoads(['--version']);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+$/);
    expect(heavy).toEqual([]);
  });

  it('answers --json --version without loading the repository module, execa or zod', async () => {
    const { stdout, heavy } = await heavyLoads(['--json', '--version']);
    expect(JSON.parse(stdout)).toMatchObject({ name: 'tmc-orch' });
    expect(heavy).toEqual([]);
  });

  it('answers --help without loading the repository module, execa or zod', async () => {
    const { stdout, heavy } = await heavyLoads(['--help']);
    expect(stdout).toContain('worktree');
    expect(heavy).toEqual([]);
  });
});

describe('the hot paths', () => {
  const BUILTINS = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../helpers/trace-builtins.cjs',
  );

  /** The Node built-in modules a run of the binary loaded. */
  async function builtinsOf(args: string[], cwd: string, input = ''): Promise<string[]> {
    const trace = path.join(cwd, '..', 'builtins.txt');
    const result = await execa(process.execPath, ['--require', BUILTINS, BIN, ...args], {
      cwd,
      env: { TMC_AGENT: 'agent-test', TMC_TRACE_BUILTINS: trace },
      input,
      reject: false,
    });
    expect(result.exitCode, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return readFileSync(trace, 'utf8').trim().split('\n');
  }

  // node:crypto costs ~4 ms to load, a sixth of what the program itself costs to start.
  it('lines, check, the pre-push hook and status never load node:crypto', async () => {
    const repo = await makeRepo({ remote: true });
    writeFileSync(path.join(repo.main, '.tmc-orch.json'), '{}\n');
    const head = await commitFiles(repo.main, { 'a.txt': 'a\n' }, 'a');
    const push = `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`;
    const runs: [string[], string?][] = [
      [['lines']],
      [['check']],
      [['status']],
      [['hook', 'pre-push', 'origin', 'unused'], push],
    ];
    for (const [args, input] of runs) {
      const loaded = await builtinsOf(args, repo.main, input);
      expect(loaded, args.join(' ')).toContain('child_process');
      expect(loaded, args.join(' ')).not.toContain('crypto');
    }
  });
});

describe('the code cache', () => {
  /** A copy of the install (bin, the bundle, package.json) to run from, and its cache folder. */
  function install(): { bin: string; cache: string } {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-install-'));
    const root = path.resolve(path.dirname(BIN), '..');
    cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
    cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    mkdirSync(path.join(dir, 'dist/bundle'), { recursive: true });
    for (const file of ['main.cjs', 'program.cjs']) {
      cpSync(path.join(BUNDLE, file), path.join(dir, 'dist/bundle', file));
    }
    return { bin: path.join(dir, 'bin/tmc-orch.js'), cache: path.join(dir, 'dist/bundle/.cache') };
  }
  const run = (bin: string, args: string[], env: Record<string, string> = {}) =>
    execa(process.execPath, [bin, ...args], { cwd: dir, env, reject: false });
  const caches = (folder: string) =>
    existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.v8cache')) : [];

  it("is written by a command's first run beside the program, taken by the next, rewritten when rejected", async () => {
    const { bin, cache } = install();
    const first = await run(bin, ['--help']);
    expect(first.exitCode).toBe(0);
    const [name] = caches(cache);
    expect(caches(cache)).toEqual([expect.stringMatching(/-none\.v8cache$/)]);
    const file = path.join(cache, name as string);
    const written = readFileSync(file);

    const second = await run(bin, ['--help']);
    expect(second.stdout).toBe(first.stdout);
    // Taken, so not written again.
    expect(readFileSync(file).equals(written)).toBe(true);

    // What another Node version wrote, or a damaged file: V8 refuses it, the run goes on.
    writeFileSync(file, 'not a code cache');
    const third = await run(bin, ['--help']);
    expect(third.stdout).toBe(first.stdout);
    const rewritten = readFileSync(file);
    expect(rewritten.toString('latin1')).not.toBe('not a code cache');
    const fourth = await run(bin, ['--help']);
    expect(fourth.stdout).toBe(first.stdout);
    expect(readFileSync(file).equals(rewritten)).toBe(true);
  });

  it('is not written for bad input, and names no file after an arbitrary word', async () => {
    const { bin, cache } = install();
    expect((await run(bin, ['no-such-command'])).exitCode).toBe(2);
    expect((await run(bin, ['--json', '../../etc'])).exitCode).toBe(2);
    expect(caches(cache)).toEqual([]);
  });

  it("of a read-only install goes to the user's cache folder, and without one the run is as usual", async () => {
    const { bin, cache } = install();
    // A file where the folder would go: the install takes no cache.
    writeFileSync(cache, '');
    const userCache = mkdtempSync(path.join(dir, 'xdg-'));
    const cached = await run(bin, ['--help'], { XDG_CACHE_HOME: userCache });
    expect(cached.exitCode).toBe(0);
    expect(caches(path.join(userCache, 'tmc-orch'))).toEqual([
      expect.stringMatching(/-none\.v8cache$/),
    ]);
    const nowhere = path.join(dir, 'not-a-folder');
    writeFileSync(nowhere, '');
    const uncached = await run(bin, ['--help'], { XDG_CACHE_HOME: nowhere });
    expect(uncached).toMatchObject({ exitCode: 0, stdout: cached.stdout, stderr: '' });
  });
});
