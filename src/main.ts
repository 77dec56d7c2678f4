import { main } from './cli.js';
import { processIo } from './cli/action.js';
import { BROKEN_PIPE_EXIT, onBrokenPipe } from './ui/broken-pipe.js';

/** The process entry (bin/tmc-orch.js): the only place that sets the process's exit code. */
let brokenPipe = false;
onBrokenPipe([process.stdout, process.stderr], () => {
  brokenPipe = true;
  process.exitCode = BROKEN_PIPE_EXIT;
});
const exitCode = await main(process.argv, processIo());
process.exitCode = brokenPipe ? BROKEN_PIPE_EXIT : exitCode;
