import { main } from './cli.js';
import { BROKEN_PIPE_EXIT, onBrokenPipe } from './ui/broken-pipe.js';

let brokenPipe = false;
onBrokenPipe([process.stdout, process.stderr], () => {
  brokenPipe = true;
  process.exitCode = BROKEN_PIPE_EXIT;
});
const exitCode = await main(process.argv);
process.exitCode = brokenPipe ? BROKEN_PIPE_EXIT : exitCode;
