// A preload that prints, when the process exits, when each child process was started (ms since
// the preload ran) and how long starting it blocked the main thread, then when the process
// exited: where a command's time goes between its git processes.
//
//   node -r ./bench/spawn-timeline.cjs bin/tmc-orch.js --json status --no-conflicts >/dev/null
'use strict';
const { ChildProcess } = require('node:child_process');
const { writeSync } = require('node:fs');

const start = process.hrtime.bigint();
const ms = (from, to) => Number(to - from) / 1e6;
const rows = [];
const spawn = ChildProcess.prototype.spawn;
ChildProcess.prototype.spawn = function timedSpawn(options) {
  const before = process.hrtime.bigint();
  const result = spawn.call(this, options);
  const after = process.hrtime.bigint();
  const what = options.args.slice(1).join(' ').slice(0, 70);
  rows.push(
    `${ms(start, before).toFixed(1).padStart(7)} ms  ${ms(before, after).toFixed(2).padStart(5)} ms  ${what}`,
  );
  return result;
};
process.on('exit', () => {
  const end = ms(start, process.hrtime.bigint()).toFixed(1).padStart(7);
  writeSync(2, `started     blocked   command\n${rows.join('\n')}\n${end} ms  exit\n`);
});
