import { gitWrapper, shellQuote } from './git-wrapper.js';

/**
 * A folder holding a `git` that answers as an older git does to the given options it does not
 * know (exit 129, "unknown option"), and is the real git otherwise. Put it first in PATH.
 */
export function gitWithout(cwd: string, unknownOptions: string[]): Promise<string> {
  return gitWrapper(cwd, () => [
    '  case "$arg" in',
    `    ${unknownOptions.map(shellQuote).join('|')})`,
    '      printf "error: unknown option \\`%s\'\\n" "${arg#--}" >&2',
    '      exit 129 ;;',
    '  esac',
  ]);
}
