// Runs every benchmark in turn (npm run bench). With --quick, each with the smallest input that
// still runs all of its code: a smoke test for CI, not a measurement.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const benches = [
  ['lines.js', quick ? ['1'] : []],
  ['claims.js', quick ? ['2', '3'] : []],
  ['log.js', quick ? ['2', '20'] : []],
  ['status.js', quick ? ['--rounds', '1'] : []],
];
for (const [file, args] of benches) {
  console.log(`\n# ${file} ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [path.join(dir, file), ...args], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
