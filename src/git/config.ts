import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit, splitNul } from './run.js';

/**
 * The repository's own config (`.git/config`, shared by every worktree): read by pattern, set and
 * unset one key at a time. Keys are ours (`branch.<name>.tmcOrch…`); values never pass a shell.
 */

/** One `key value` pair of `git config -z --get-regexp` (`<key>\n<value>\0`). */
export interface ConfigEntry {
  /** As git prints it: section and variable lower-cased, a subsection as written. */
  key: string;
  value: string;
}

/** Parses `git config -z --get-regexp` output. A key without a value has value ''. */
export function parseConfigEntries(stdout: string): ConfigEntry[] {
  return splitNul(stdout).map((record) => {
    const eol = record.indexOf('\n');
    return eol === -1
      ? { key: record, value: '' }
      : { key: record.slice(0, eol), value: record.slice(eol + 1) };
  });
}

/** The local config entries whose key matches `pattern` (a git extended regexp), in file order. */
export async function localConfigMatching(cwd: string, pattern: string): Promise<ConfigEntry[]> {
  const { stdout, exitCode } = await runGit(
    ['config', '--local', '-z', '--get-regexp', '--end-of-options', pattern],
    // 1: no key matches.
    { cwd, okCodes: [1] },
  );
  return exitCode === 0 ? parseConfigEntries(stdout) : [];
}

/**
 * False only when the local config (`<commonDir>/config`, what `--local` reads, includes not
 * followed) certainly sets no variable named `variable`: the name is not in the file, in any case.
 * Spares the hot paths a `git config` process for keys that are usually not there.
 */
export async function localConfigMayName(commonDir: string, variable: string): Promise<boolean> {
  try {
    const text = await readFile(path.join(commonDir, 'config'), 'utf8');
    return text.toLowerCase().includes(variable.toLowerCase());
  } catch {
    return true;
  }
}

/** Sets one key of the local config (replacing its value). */
export async function setLocalConfig(cwd: string, key: string, value: string): Promise<void> {
  await runGit(['config', '--local', '--end-of-options', key, value], { cwd });
}

/** Removes one key of the local config; a key that is not there is no error. */
export async function unsetLocalConfig(cwd: string, key: string): Promise<void> {
  // 5: the key is not set.
  await runGit(['config', '--local', '--unset-all', '--end-of-options', key], {
    cwd,
    okCodes: [5],
  });
}
