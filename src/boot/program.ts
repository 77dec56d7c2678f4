// The program as scripts/bundle.js builds it into one CommonJS file, dist/bundle/program.cjs,
// which boot/code-cache.ts loads with a V8 code cache: the command-line entry and the process's
// streams. Commands stay lazy inside it (each is evaluated on first use).
export { main } from '../cli.js';
export { processIo } from '../cli/action.js';
export { provideImporter } from '../util/external.js';
