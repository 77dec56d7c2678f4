import { BROKEN_PIPE_EXIT, onBrokenPipe } from './ui/broken-pipe.js';
import { versionAnswer } from './cli/version.js';
import { loadProgram } from './boot/code-cache.js';

/**
 * The process entry (bin/tmc-orch.js): the only place that sets the process's exit code. Bundled
 * as CommonJS (scripts/bundle.js), so no top-level await: the exit code is set when main settles.
 */
let brokenPipe = false;
onBrokenPipe([process.stdout, process.stderr], () => {
  brokenPipe = true;
  process.exitCode = BROKEN_PIPE_EXIT;
});
// The version is answered before the program (commander, every command's registration) loads.
const answer = versionAnswer(process.argv.slice(2));
if (answer !== null) {
  process.stdout.write(answer);
} else {
  // Everything else: the program, compiled from its code cache when it has one.
  const { main, processIo, provideImporter } = loadProgram();
  // The libraries the bundle leaves out (util/external.ts), imported from here: the program, a
  // vm.Script, cannot import() itself.
  provideImporter((specifier) => import(specifier));
  void main(process.argv, processIo()).then((exitCode) => {
    process.exitCode = brokenPipe ? BROKEN_PIPE_EXIT : exitCode;
  });
}
