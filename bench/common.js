// What the benchmark scripts share: the built binary, an environment that keeps the machine's git
// config out, a synchronous runner, a file writer and medians.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/tmc-orch.js');

/** No system or global git config, a fixed author, no colour. */
export const benchEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  NO_COLOR: '1',
};

/** Runs cmd with argv (no shell) and returns stdout; throws unless the exit code is in `ok`. */
export function runSync(cmd, argv, cwd, ok = [0]) {
  const result = spawnSync(cmd, argv, {
    cwd,
    env: benchEnv,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (!ok.includes(result.status)) throw new Error(`${cmd} ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Writes root/file, making its folders. */
export function write(root, file, content) {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** The median of a list of numbers. */
export function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median wall time in ms of `runs` runs of cmd argv. */
export function medianRun(runs, cmd, argv, cwd, ok = [0]) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    runSync(cmd, argv, cwd, ok);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}
