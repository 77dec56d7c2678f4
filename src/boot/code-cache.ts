import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import type { main } from '../cli.js';
import type { processIo } from '../cli/action.js';
import type { provideImporter } from '../util/external.js';

/**
 * Start-up of everything but `--version`: the program is one CommonJS file beside this one
 * (dist/bundle/program.cjs, from src/boot/program.ts; scripts/bundle.js), compiled with a V8 code
 * cache. Parsing and compiling the program is most of a start-up, and on Node 20 only a vm.Script
 * (CommonJS), not an ES module, takes a cache. One cache per command (the functions `lines` runs
 * are not those `status` runs), written when a run of that command ends without one (or with one
 * V8 rejected: another Node, other V8 flags) and its answer was an answer (exit 0 or 1), beside the
 * program, or in the user's cache folder when the install is read-only. Never in the way: any
 * failure to read or write a cache leaves the program running uncached, silently.
 *
 * The program must make no import() of its own (scripts/bundle.js refuses to build one): a
 * vm.Script takes a dynamic-import callback only as an experimental feature, which Node 20 loses
 * when the script comes from a code cache.
 */

export interface Program {
  main: typeof main;
  processIo: typeof processIo;
  provideImporter: typeof provideImporter;
}

/** The program's content hash, set by scripts/bundle.js; undefined outside the bundle. */
declare const __PROGRAM_HASH__: string | undefined;

/** Global options that take a value: their value is no command. */
const VALUE_OPTIONS = new Set(['-C', '--cwd', '--agent']);

/**
 * The command a command line runs, to name its cache: the first word that is neither an option
 * nor an option's value ("none" when there is none, "other" for anything not shaped like a
 * command name, so that arbitrary words never name a file).
 */
export function commandWord(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return /^[a-z][a-z-]{0,23}$/.test(arg) ? arg : 'other';
  }
  return 'none';
}

/**
 * Where caches are read and written, in order: a folder beside the program, else (a read-only
 * install) tmc-orch's folder in the user's cache folder ($XDG_CACHE_HOME, else ~/.cache).
 */
export function cacheFolders(programDir: string, env: NodeJS.ProcessEnv, home: string): string[] {
  const xdg = env.XDG_CACHE_HOME;
  const user = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache');
  return [path.join(programDir, '.cache'), path.join(user, 'tmc-orch')];
}

/**
 * A cache's file name: the program's content hash first (V8 checks a cache against the length of
 * the source only, so a cache must never meet another program), then what V8 checks anyway.
 */
export function cacheFileName(
  hash: string,
  node: { version: string; arch: string },
  command: string,
): string {
  return `${hash}-${node.version}-${node.arch}-${command}.v8cache`;
}

function readCache(folders: readonly string[], name: string): Buffer | undefined {
  for (const folder of folders) {
    try {
      return readFileSync(path.join(folder, name));
    } catch {
      // Not there: the next folder.
    }
  }
  return undefined;
}

/**
 * Writes `data` as `name` in the first folder that takes it: a temporary file renamed into place,
 * so that a concurrent run reads the old cache or the new one, never half of one. Caches of
 * other programs there (an earlier version) are removed.
 */
function writeCache(folders: readonly string[], name: string, hash: string, data: Buffer): void {
  for (const folder of folders) {
    const temporary = path.join(folder, `${name}.${process.pid}.tmp`);
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(temporary, data);
      renameSync(temporary, path.join(folder, name));
      for (const other of readdirSync(folder)) {
        if (other.endsWith('.v8cache') && !other.startsWith(`${hash}-`)) {
          rmSync(path.join(folder, other), { force: true });
        }
      }
      return;
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // No folder to leave it in: nothing was written.
      }
    }
  }
}

/** Loads the program, from its code cache when there is one for this command. */
export function loadProgram(): Program {
  const file = fileURLToPath(new URL('./program.cjs', import.meta.url));
  const dir = path.dirname(file);
  // Pure ASCII (scripts/bundle.js checks it), so latin1 reads it exactly, and five times faster
  // than UTF-8 decoding: a one-byte string, no validation.
  const source = readFileSync(file, 'latin1');
  const hash = typeof __PROGRAM_HASH__ === 'string' ? __PROGRAM_HASH__ : null;
  const name = hash ? cacheFileName(hash, process, commandWord(process.argv.slice(2))) : null;
  const folders = cacheFolders(dir, process.env, os.homedir());
  const cached = name ? readCache(folders, name) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  const module = { exports: {} as Program };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, Module.createRequire(file), module, file, dir);
  if (hash && name && (cached === undefined || script.cachedDataRejected)) {
    // After the command: the cache then holds the functions it compiled, not just the top level.
    process.once('beforeExit', () => {
      const code = process.exitCode ?? 0;
      if (code !== 0 && code !== 1) return;
      try {
        writeCache(folders, name, hash, script.createCachedData());
      } catch {
        // No cache this time.
      }
    });
  }
  return module.exports;
}
