import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

const TRACE = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../helpers/trace-loads.mjs'),
).href;
/** What the bundle says (esbuild's `// <source path>` comments) each loaded file contains. */
const HEAVY = [
  /^\/\/ src\/repo\.ts$/m,
  /^\/\/ node_modules\/execa\//m,
  /^\/\/ node_modules\/zod\//m,
];

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The heavy modules a run of the binary loaded, by the marker that found them. */
async function heavyLoads(args: string[]): Promise<{ stdout: string; heavy: string[] }> {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-startup-'));
  const trace = path.join(dir, 'loads.txt');
  const result = await execa(process.execPath, ['--import', TRACE, BIN, ...args], {
    cwd: dir,
    env: { TMC_TRACE_LOADS: trace },
  });
  const files = readFileSync(trace, 'utf8')
    .trim()
    .split('\n')
    .map((u) => fileURLToPath(u));
  const heavy = HEAVY.filter((marker) =>
    files.some((file) => marker.test(readFileSync(file, 'utf8'))),
  ).map(String);
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
