// A real process appending to the status log through the built module:
// node log-writer.js <sharedDir> <writerId> <count> [raw]. Used by the load tests and
// bench/log.js; "raw" appends the same lines with fs.appendFileSync, the baseline.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { appendLog, formatLogLine } from '../../dist/status/log.js';

const [sharedDir, id, countText, mode] = process.argv.slice(2);
const count = Number(countText);

/** Message i of writer id; lengths vary up to ~3.9 KiB so long lines race too. */
export function messageOf(writer, i) {
  return `w${writer}-e${i}.${'x'.repeat((i * 37 + Number(writer) * 101) % 3900)}`;
}

if (sharedDir && id !== undefined) {
  for (let i = 0; i < count; i++) {
    const input = { agent: `writer-${id}`, worktree: 'w', message: messageOf(id, i) };
    if (mode === 'raw')
      appendFileSync(path.join(sharedDir, 'raw.log'), formatLogLine(input, new Date()));
    else await appendLog({ sharedDir }, input);
  }
}
