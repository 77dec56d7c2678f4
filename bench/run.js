// Runs the benchmarks (npm run bench; it builds first):
//   npm run bench                      # every benchmark, full size (many minutes)
//   npm run bench -- --quick           # every benchmark on the smallest input that still runs all
//                                      # of its code: CI's smoke test, not a measurement
//   npm run bench -- startup --kcp ~/kcp   # one benchmark, with its own arguments
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
/** Each benchmark, and its arguments under --quick. */
const BENCHES = {
  // Issue 10's table asks for every figure with and without NODE_EXTRA_CA_CERTS: both CA modes.
  startup: ['--quick', '--rounds', '1'],
  lines: ['1'],
  status: ['--rounds', '1', '--worktrees', '4'],
  watch: ['--seconds', '3'],
  claims: ['2', '3'],
  log: ['2', '20'],
  remote: ['1'],
  split: ['1'],
};

const args = process.argv.slice(2);
const named = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : null;
if (named !== null && !(named in BENCHES)) {
  console.error(`no benchmark named ${named}; one of: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const quick = named === null && args.includes('--quick');
const runs =
  named !== null
    ? [[named, args.slice(1)]]
    : Object.entries(BENCHES).map(([name, small]) => [name, quick ? small : []]);

for (const [name, benchArgs] of runs) {
  console.log(`\n# bench/${name}.js ${benchArgs.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(dir, `${name}.js`), ...benchArgs], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`bench/${name}.js failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  console.log(`# bench/${name}.js took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
