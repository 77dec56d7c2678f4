/**
 * The libraries the bundle leaves out, loaded from the package's node_modules on first use (they
 * are package.json `dependencies`): execa, which runs users' commands (gates, post-create
 * commands, the demo's steps), and yaml, which reads and edits hook managers' configs. Neither is
 * on a hot path, and bundled they were 90 of the package's 300 kB (gzip).
 *
 * In the bundle the program runs as a vm.Script, which cannot import() (boot/code-cache.ts): the
 * process entry (main.ts) hands over an import() of its own with `provideImporter` before the
 * program runs. Outside the bundle (tests on the sources) the module's own import() serves.
 */

import type * as ExecaModule from 'execa';
import type * as YamlModule from 'yaml';
import { InstallError } from '../errors.js';

type Importer = (specifier: string) => Promise<unknown>;

let importer: Importer = (specifier) => import(specifier);

/** Sets how the program imports the libraries it does not contain. */
export function provideImporter(hostImport: Importer): void {
  importer = hostImport;
}

type Execa = typeof ExecaModule;
type Yaml = typeof YamlModule;

/** execa, to run a user's command. */
export async function loadExeca(): Promise<Execa> {
  return (await load('execa')) as Execa;
}

/** The yaml library, to read or print a hook manager's config. */
export async function loadYaml(): Promise<Yaml> {
  return (await load('yaml')) as Yaml;
}

async function load(name: string): Promise<unknown> {
  try {
    return await importer(name);
  } catch (error) {
    // The bundle was copied without its node_modules, or an install was cut short.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new InstallError(
      `${name}, which tmc-orch loads from its node_modules, is not installed; reinstall tmc-orch (npm install -g tmc-orch, or npm install in a clone of it)`,
    );
  }
}
