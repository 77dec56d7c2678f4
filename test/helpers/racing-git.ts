import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, tempDir } from './repo.js';

/**
 * A folder holding a `git` that is the real git, except that the first time it is run with the
 * argument `trigger` (a subcommand: merge-tree, remove) it first runs `action`, an argument
 * array: another process acting at that exact moment of a command (an editor saving a file, an
 * agent claiming), with no clock involved. The action's own git runs are the real git (the
 * trigger has fired by then). Put the folder first in PATH. A shell script: a wrapper in node
 * would cost a node start-up per git call.
 */
export async function gitActingOnce(
  cwd: string,
  trigger: string,
  action: readonly string[],
): Promise<string> {
  const realGit = path.join(await git(cwd, '--exec-path'), 'git');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const bin = tempDir();
  writeFileSync(
    path.join(bin, 'git'),
    [
      '#!/bin/sh',
      'for arg in "$@"; do',
      `  if [ "$arg" = ${quote(trigger)} ]; then`,
      // mkdir is atomic: one run fires, however many race.
      // The action's output goes to stderr: stdout is what the command reads of git's.
      `    if mkdir ${quote(path.join(bin, 'fired'))} 2>/dev/null; then ${action.map(quote).join(' ')} >&2; fi`,
      '    break',
      '  fi',
      'done',
      `exec ${quote(realGit)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path.join(bin, 'git'), 0o755);
  return bin;
}
