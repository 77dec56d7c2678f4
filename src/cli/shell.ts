import { Argument, InvalidArgumentError, type Command } from 'commander';
import { suggestions } from '../util/suggest.js';
import type { Shell } from '../shell/init.js';
import type { Lazy } from './action.js';

/** Getting around from a shell: path, switch, shell-init, completion (issue 14). */
export function registerShell(program: Command, lazy: Lazy): void {
  program
    .command('path')
    .description('print the absolute path of a worktree')
    .argument('<worktree>', 'worktree name')
    .action(
      lazy(
        () => import('../commands/path.js'),
        (name: string) => ({ name }),
      ),
    );
  program
    .command('switch')
    .description('change into a worktree (needs the shell function: see shell-init)')
    .argument('<worktree>', 'worktree name')
    .option('-c, --create', 'create the worktree first, as worktree add does')
    .option('--no-copy', 'with -c: copy no ignored files into it')
    .action(
      lazy(
        () => import('../commands/switch.js'),
        (name: string, flags: { create?: boolean; copy?: boolean }) => ({
          name,
          create: Boolean(flags.create),
          copy: flags.copy !== false,
        }),
      ),
    );
  program
    .command('shell-init')
    .description(
      'print the shell function that lets switch change directory; eval it in your rc file',
    )
    .addArgument(shellArgument())
    .action(
      lazy(
        () => import('../commands/shell-init.js'),
        (shell: Shell) => ({ shell }),
      ),
    );
}

/** `completion <shell>`, and the hidden `__complete` its scripts call. */
export function registerCompletion(program: Command, lazy: Lazy): void {
  program
    .command('completion')
    .description(
      'print the completion script of a shell (commands, options, worktree, branch and agent names)',
    )
    .addArgument(shellArgument())
    .action(
      lazy(
        () => import('../commands/completion.js'),
        (shell: Shell) => ({ shell }),
      ),
    );
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .helpOption(false)
    .allowUnknownOption()
    .action(
      lazy(
        () => import('../commands/complete.js'),
        (words: string[], _flags: object, command: Command) => ({
          words,
          program: command.parent ?? command,
        }),
      ),
    );
}

// The shells of src/shell/init.ts, here so that building the program loads no domain module.
const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

function shellArgument(): Argument {
  // The choices are what completion offers; the parser adds "did you mean" to commander's refusal.
  return new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS).argParser((value) => {
    if ((SHELLS as readonly string[]).includes(value)) return value as Shell;
    const close = suggestions(value, SHELLS);
    const hint = close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : '';
    throw new InvalidArgumentError(`Allowed choices are ${SHELLS.join(', ')}.${hint}`);
  });
}
