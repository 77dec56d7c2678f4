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
  const sources = files.flatMap(sourcesOf);
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
