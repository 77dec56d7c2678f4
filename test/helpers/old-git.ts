import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, tempDir } from './repo.js';

/**
 * A folder holding a `git` that answers as an older git does to the given options it does not
 * know (exit 129, "unknown option"), and is the real git otherwise. Put it first in PATH. A shell
 * script that execs git: a wrapper in node would cost a node start-up per git call.
 */
export async function gitWithout(cwd: string, unknownOptions: string[]): Promise<string> {
  const realGit = path.join(await git(cwd, '--exec-path'), 'git');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const bin = tempDir();
  writeFileSync(
    path.join(bin, 'git'),
    [
      '#!/bin/sh',
      'for arg in "$@"; do',
      '  case "$arg" in',
      `    ${unknownOptions.map(quote).join('|')})`,
      '      printf "error: unknown option \\`%s\'\\n" "${arg#--}" >&2',
      '      exit 129 ;;',
      '  esac',
      'done',
      `exec ${quote(realGit)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'git'), 0o755);
  return bin;
}
