// Bundles the CLI for start-up speed: resolving and loading a few hundred small ESM files (execa,
// zod, commander and their dependencies) costs more than 100 ms on every run, which the pre-push
// hook pays on each push. tsc still emits dist/ for type checking and the scripts; bin/ runs the
// bundle, in two files:
//   main.cjs     the process entry: answers --version alone, else loads the program;
//   program.cjs  the program, one CommonJS file, so that src/boot/code-cache.ts can give it a V8
//                code cache (Node 20 caches no ES module). Each command stays lazy inside it: a
//                module imported with import() is evaluated on first use.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const out = (file) => new URL(`../dist/bundle/${file}`, import.meta.url);

// The program's hash names its caches: clear the old ones with the old bundle.
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  // Loaded from node_modules on first use (package.json dependencies; src/util/external.ts):
  // libraries for users' commands and hook managers' configs, off every hot path, and bundled
  // they were 90 of the package's 300 kB.
  external: ['execa', 'yaml'],
  // Whitespace and syntax only: names stay as written, so a --debug stack still reads. Halves
  // the package; the source maps stay out of it (package.json `files`), for local debugging.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
};

const program = await build({
  ...common,
  entryPoints: { program: 'src/boot/program.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // import.meta has no CommonJS equivalent of its own: the file's URL, from __filename.
  define: { 'import.meta.url': '__tmcImportMetaUrl' },
  banner: {
    js: [
      "var __tmcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      // For the start-up tests (TMC_TRACE_LOADS, as test/helpers/trace-loads.mjs): the modules
      // the program evaluates, one a line.
      "var __tmcTrace = process.env.TMC_TRACE_LOADS ? (fn) => fn && require('node:fs').appendFileSync(process.env.TMC_TRACE_LOADS, 'program:' + Object.getOwnPropertyNames(fn)[0] + '\\n') : () => {};",
    ].join('\n'),
  },
});

// esbuild wraps each lazily evaluated module in __esm (keyed by its source path): record the
// first call of each when tracing. The helper's text is esbuild's; a change of it fails here.
const programFile = out('program.cjs');
const ESM_HELPER = 'var __esm=(fn,res,err)=>function(){';
const code = readFileSync(programFile, 'utf8');
if (code.split(ESM_HELPER).length !== 2) {
  throw new Error(`scripts/bundle.js: esbuild's __esm helper not found once in program.cjs`);
}
// A vm.Script (src/boot/code-cache.ts) can make no import() on Node 20: import builtins statically.
const dynamicImport = /(^|[^\w$.])import\(\s*["'`]/m.exec(code);
if (dynamicImport) {
  const at = code.slice(dynamicImport.index, dynamicImport.index + 60);
  throw new Error(`scripts/bundle.js: program.cjs makes an import() of its own: ${at}`);
}
// src/boot/code-cache.ts reads the program as latin1 (no UTF-8 decoding at each start): esbuild
// escapes non-ASCII in strings, not in regular expression literals or String.raw; write those
// with \u escapes.
const nonAscii = Buffer.from(code, 'utf8').findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) {
  const at = Buffer.from(code, 'utf8').subarray(Math.max(0, nonAscii - 40), nonAscii + 20);
  throw new Error(`scripts/bundle.js: program.cjs is not pure ASCII (use \\u escapes): ${at}`);
}
const traced = code.replace(ESM_HELPER, `${ESM_HELPER}__tmcTrace(fn);`);
writeFileSync(programFile, traced);
const hash = createHash('sha256').update(traced).digest('hex').slice(0, 16);

const entry = await build({
  ...common,
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  // CommonJS too: an ES module entry costs the ESM loader at every start (~7 ms of a --version
  // that takes 35), which a CommonJS one, required by a CommonJS bin/tmc-orch.js, never loads.
  format: 'cjs',
  define: { __PROGRAM_HASH__: JSON.stringify(hash), 'import.meta.url': '__tmcImportMetaUrl' },
  banner: {
    js: [
      "var __tmcImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      // For the start-up tests: this file, as the ESM loader's trace would name it.
      "if (process.env.TMC_TRACE_LOADS) require('node:fs').appendFileSync(process.env.TMC_TRACE_LOADS, __tmcImportMetaUrl + '\\n');",
    ].join('\n'),
  },
});

// Which sources each output holds: the start-up tests check what a command loads with it.
const outputs = { ...program.metafile.outputs, ...entry.metafile.outputs };
const inputs = { ...program.metafile.inputs, ...entry.metafile.inputs };
writeFileSync(out('meta.json'), JSON.stringify({ inputs, outputs }));
