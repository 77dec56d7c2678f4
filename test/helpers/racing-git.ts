import path from 'node:path';
import { gitWrapper, shellQuote } from './git-wrapper.js';

/**
 * A folder holding a `git` that is the real git, except that the first time it is run with the
 * argument `trigger` (a subcommand: merge-tree, remove) it first runs `action`, an argument
 * array: another process acting at that exact moment of a command (an editor saving a file, an
 * agent claiming), with no clock involved. The action's own git runs are the real git (the
 * trigger has fired by then). Put the folder first in PATH.
 */
export function gitActingOnce(
  cwd: string,
  trigger: string,
  action: readonly string[],
): Promise<string> {
  return gitWrapper(cwd, (bin) => [
    `  if [ "$arg" = ${shellQuote(trigger)} ]; then`,
    // mkdir is atomic: one run fires, however many race.
    // The action's output goes to stderr: stdout is what the command reads of git's.
    `    if mkdir ${shellQuote(path.join(bin, 'fired'))} 2>/dev/null; then ${action.map(shellQuote).join(' ')} >&2; fi`,
    '    break',
    '  fi',
  ]);
}
