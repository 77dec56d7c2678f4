// A real process appending to the status log through the built module:
// node log-writer.js <sharedDir> <writerId> <count> [raw|rounds]. Used by the load tests and
// bench/log.js; "raw" appends the same lines with fs.appendFileSync, the baseline; "rounds"
// appends entry i once <sharedDir>/go-<i> exists, then creates <sharedDir>/done-<i>-<writerId>,
// so a test can release every writer at once, round after round.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendLog } from '../../dist/log/append.js';
import { formatLogLine } from '../../dist/log/format.js';

const [sharedDir, id, countText, mode] = process.argv.slice(2);
const count = Number(countText);

/** Message i of writer id; lengths vary up to ~3.9 KiB so long lines race too. */
export function messageOf(writer, i) {
  return `w${writer}-e${i}.${'x'.repeat((i * 37 + Number(writer) * 101) % 3900)}`;
}

if (sharedDir && id !== undefined) {
  for (let i = 0; i < count; i++) {
    const input = {
      agent: `writer-${id}`,
      worktree: 'w',
      message: messageOf(id, i),
      source: 'agent',
    };
    if (mode === 'raw')
      appendFileSync(path.join(sharedDir, 'raw.log'), formatLogLine(input, new Date()));
    else if (mode === 'rounds') {
      while (!existsSync(path.join(sharedDir, `go-${i}`))) await sleep(1);
      await appendLog({ sharedDir }, input);
      writeFileSync(path.join(sharedDir, `done-${i}-${id}`), '');
    } else await appendLog({ sharedDir }, input);
  }
}
