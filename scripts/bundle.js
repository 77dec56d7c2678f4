// Bundles the CLI for start-up speed: resolving and loading a few hundred small ESM files (execa,
// zod, commander and their dependencies) costs more than 100 ms on every run, which the pre-push
// hook pays on each push. tsc still emits dist/ for type checking and the scripts; bin/ runs the
// bundle, in two files:
//   main.js      the process entry (ESM): answers --version alone, else loads the program;
//   program.cjs  the program, one CommonJS file, so that src/boot/code-cache.ts can give it a V8
//                code cache (Node 20 caches no ES module). Each command stays lazy inside it: a
//                module imported with import() is evaluated on first use.
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
const traced = code.replace(ESM_HELPER, `${ESM_HELPER}__tmcTrace(fn);`);
writeFileSync(programFile, traced);
const hash = createHash('sha256').update(traced).digest('hex').slice(0, 16);

const entry = await build({
  ...common,
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist/bundle',
  format: 'esm',
  define: { __PROGRAM_HASH__: JSON.stringify(hash) },
});

// Which sources each output holds: the start-up tests check what a command loads with it.
const outputs = { ...program.metafile.outputs, ...entry.metafile.outputs };
const inputs = { ...program.metafile.inputs, ...entry.metafile.inputs };
writeFileSync(out('meta.json'), JSON.stringify({ inputs, outputs }));
