import { Help, type Argument, type Command, type Option } from 'commander';
import type { Shell } from './init.js';

/**
 * Shell completion with commander's definitions as the only source: the scripts of
 * `tmc-orch completion <shell>` hand the words typed so far to the hidden `tmc-orch __complete`,
 * which walks the program's commands, options and arguments (a command added tomorrow completes
 * without a change here) and answers one candidate per line. Names that live in the repository
 * (worktrees, branches, agents) are asked for only when the cursor is on one.
 */

/** What the word under the cursor is: fixed words, or names read from the repository. */
export type CompletionRequest =
  | { kind: 'words'; words: string[] }
  | { kind: 'worktrees' }
  | { kind: 'branches' }
  | { kind: 'agents' }
  | { kind: 'none' };

/** Argument and option-value names whose values are names in the repository. */
const DYNAMIC: Record<string, CompletionRequest['kind']> = {
  worktree: 'worktrees',
  worktrees: 'worktrees',
  branch: 'branches',
  ref: 'branches',
  rev: 'branches',
  agent: 'agents',
};

const help = new Help();

function visibleOptions(cmd: Command, root: Command): Option[] {
  const own = help.visibleOptions(cmd);
  return cmd === root ? own : [...own, ...help.visibleOptions(root)];
}

function findOption(options: readonly Option[], word: string): Option | undefined {
  const flag = word.split('=')[0];
  return options.find((o) => o.long === flag || o.short === flag);
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

/** The value placeholder of an option: `--branch <branch>` → "branch". */
function valueName(option: Option): string {
  return /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
}

function fromName(name: string, choices: readonly string[] | undefined): CompletionRequest {
  if (choices && choices.length > 0) return { kind: 'words', words: [...choices] };
  const dynamic = DYNAMIC[name];
  return dynamic ? ({ kind: dynamic } as CompletionRequest) : { kind: 'none' };
}

/**
 * What to complete after `words` (the words typed after the program name; the last one is the
 * word under the cursor, possibly empty), and that word.
 */
export function completionRequest(
  root: Command,
  words: readonly string[],
): { request: CompletionRequest; current: string } {
  const current = words[words.length - 1] ?? '';
  let cmd = root;
  let positional = 0;
  let operandsOnly = false;
  const before = words.slice(0, -1);
  for (let i = 0; i < before.length; i++) {
    const word = before[i] as string;
    if (!operandsOnly && word === '--') {
      operandsOnly = true;
      continue;
    }
    if (!operandsOnly && word.startsWith('-')) {
      const option = findOption(visibleOptions(cmd, root), word);
      if (option && takesValue(option) && !word.includes('=')) {
        if (i === before.length - 1) {
          const name = DYNAMIC[valueName(option)] ? valueName(option) : option.attributeName();
          return { request: fromName(name, option.argChoices), current };
        }
        i++;
      }
      continue;
    }
    const sub = positional === 0 ? findCommand(cmd, word) : undefined;
    if (sub) {
      cmd = sub;
      continue;
    }
    positional++;
  }
  if (!operandsOnly && current.startsWith('-')) {
    const flags = visibleOptions(cmd, root).flatMap((o) => (o.long ? [o.long] : []));
    return { request: { kind: 'words', words: flags }, current };
  }
  const subs = help.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  if (subs.length > 0 && positional === 0) {
    return { request: { kind: 'words', words: subs.map((c) => c.name()) }, current };
  }
  const argument = argumentAt(cmd.registeredArguments, positional);
  return {
    request: argument ? fromName(argument.name(), argument.argChoices) : { kind: 'none' },
    current,
  };
}

function findCommand(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

function argumentAt(args: readonly Argument[], index: number): Argument | undefined {
  const last = args[args.length - 1];
  return args[index] ?? (last?.variadic ? last : undefined);
}

/** The candidates that begin with the word under the cursor, sorted, without duplicates. */
export function matching(candidates: readonly string[], current: string): string[] {
  return [...new Set(candidates.filter((c) => c.startsWith(current)))].sort();
}

// bash puts a candidate on the command line as it is: each is read whole (no word split, no
// glob) and quoted (printf -v: no fork), so that a branch named x$(cmd) stays a name when run.
const bash = `# tmc-orch completion for bash: eval "$(tmc-orch completion bash)" in ~/.bashrc
_tmc_orch_complete() {
  local __tmc_orch_word __tmc_orch_quoted
  COMPREPLY=()
  while IFS= read -r __tmc_orch_word; do
    printf -v __tmc_orch_quoted '%q' "$__tmc_orch_word"
    COMPREPLY+=("$__tmc_orch_quoted")
  done < <(command tmc-orch __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}
complete -o default -F _tmc_orch_complete tmc-orch
`;

const zsh = `#compdef tmc-orch
# tmc-orch completion for zsh: source <(tmc-orch completion zsh) in ~/.zshrc, after compinit
_tmc_orch() {
  local -a candidates
  candidates=("\${(@f)$(command tmc-orch __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _tmc_orch tmc-orch
`;

const fish = `# tmc-orch completion for fish: tmc-orch completion fish | source
function __tmc_orch_complete
    set -l tokens (commandline -opc)
    set -e tokens[1]
    command tmc-orch __complete -- $tokens (commandline -ct) 2>/dev/null
end
complete -c tmc-orch -f -a '(__tmc_orch_complete)'
`;

export function completionScript(shell: Shell): string {
  return shell === 'bash' ? bash : shell === 'zsh' ? zsh : fish;
}
