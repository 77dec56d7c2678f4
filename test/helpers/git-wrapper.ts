import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, tempDir } from './repo.js';

/** One POSIX shell word. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A folder holding a `git` that is the real git after `loop` (shell lines run for each argument,
 * as `$arg`) has had its say: it may exit early or act first. Put the folder first in PATH. A
 * shell script that execs git: a wrapper in node would cost a node start-up per git call.
 */
export async function gitWrapper(
  cwd: string,
  loop: (bin: string) => readonly string[],
): Promise<string> {
  const realGit = path.join(await git(cwd, '--exec-path'), 'git');
  const bin = tempDir();
  const script = [
    '#!/bin/sh',
    'for arg in "$@"; do',
    ...loop(bin),
    'done',
    `exec ${shellQuote(realGit)} "$@"`,
    '',
  ];
  writeFileSync(path.join(bin, 'git'), script.join('\n'));
  chmodSync(path.join(bin, 'git'), 0o755);
  return bin;
}
