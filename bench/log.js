// Status log load benchmark: WRITERS real processes append ENTRIES each at once through the
// built module; checks every entry is present exactly once and whole, and compares the append
// rate with raw `fs.appendFileSync` of the same lines by the same number of processes.
//   npm run build && node bench/log.js [writers=16] [entries=500]
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseLog } from '../dist/log/format.js';
import { messageOf } from '../test/helpers/log-writer.js';

const run = promisify(execFile);
const WRITER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../test/helpers/log-writer.js',
);
const writers = Number(process.argv[2] ?? 16);
const entries = Number(process.argv[3] ?? 500);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-bench-log-'));

try {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, (_, id) =>
      run(process.execPath, [WRITER, dir, String(id), String(entries)]),
    ),
  );
  const ms = performance.now() - start;
  const text = readFileSync(path.join(dir, 'daily-status.log'), 'utf8');
  const lines = text.split('\n').slice(0, -1);
  const seen = new Map();
  let broken = 0;
  for (const line of lines) {
    const [entry, ...extra] = parseLog(line);
    const match = /^w(\d+)-e(\d+)\./.exec(entry?.message ?? '');
    if (
      !entry ||
      extra.length ||
      entry.kind !== 'entry' ||
      !match ||
      entry.message !== messageOf(match[1], Number(match[2]))
    ) {
      broken++;
      continue;
    }
    const key = `${match[1]}:${match[2]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const missing = writers * entries - seen.size;

  const rawStart = performance.now();
  await Promise.all(
    Array.from({ length: writers }, (_, id) =>
      run(process.execPath, [WRITER, dir, String(id), String(entries), 'raw']),
    ),
  );
  const rawMs = performance.now() - rawStart;

  console.log(
    `status log: ${writers} writer processes × ${entries} entries (${(text.length / 1048576).toFixed(1)} MiB)`,
  );
  console.log(
    `  lines ${lines.length}, missing ${missing}, duplicated ${duplicates}, torn/interleaved ${broken}`,
  );
  console.log(
    `  wall time ${ms.toFixed(0)} ms (incl. ${writers} node startups): ${((writers * entries) / (ms / 1000)).toFixed(0)} entries/s`,
  );
  console.log(`  raw appendFileSync, same processes and lines: ${rawMs.toFixed(0)} ms`);
  console.log(`  ratio tmc-orch / raw: ${(ms / rawMs).toFixed(1)}×`);
  process.exitCode = missing || duplicates || broken ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
