// Bundles the CLI for start-up speed: resolving and loading a few hundred small ESM files (execa,
// zod, commander and their dependencies) costs more than 100 ms on every run, which the pre-push
// hook pays on each push. tsc still emits dist/ for type checking and the scripts; bin/ runs the
// bundle. Code splitting keeps each command's code lazy, as the dynamic imports in cli.ts intend.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: clear the old ones so they do not pile up.
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });

const result = await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
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
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __tmcCreateRequire } from 'node:module'; const require = __tmcCreateRequire(import.meta.url);",
  },
});

// Which sources each chunk holds: the start-up tests check what a command loads with it.
writeFileSync(
  new URL('../dist/bundle/meta.json', import.meta.url),
  JSON.stringify(result.metafile),
);
