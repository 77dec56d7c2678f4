import type { Command } from 'commander';

/** What `--help --json` prints: the command, its arguments and options, as data. */
export interface CommandDescription {
  command: string;
  description: string;
  usage: string;
  arguments: { name: string; description: string; required: boolean; variadic: boolean }[];
  options: { flags: string; description: string; takesValue: boolean; negates: boolean }[];
  /** The options every command takes (on subcommands). */
  globalOptions: CommandDescription['options'];
  /** Subcommands, for a group such as `worktree`. */
  commands: { name: string; description: string }[];
}

function options(cmd: Command): CommandDescription['options'] {
  return cmd.options.map((o) => ({
    flags: o.flags,
    description: o.description,
    takesValue: o.required || o.optional,
    negates: o.negate,
  }));
}

export function describeCommand(cmd: Command): CommandDescription {
  const names: string[] = [];
  let root = cmd;
  for (let c: Command | null = cmd; c; c = c.parent) {
    names.unshift(c.name());
    root = c;
  }
  return {
    command: names.join(' '),
    description: cmd.description(),
    usage: `${names.join(' ')} ${cmd.usage()}`.trim(),
    arguments: cmd.registeredArguments.map((a) => ({
      name: a.name(),
      description: a.description,
      required: a.required,
      variadic: a.variadic,
    })),
    options: options(cmd),
    globalOptions: root === cmd ? [] : options(root),
    commands: cmd.commands
      .filter((c) => c.name() !== 'help' && !c.name().startsWith('__'))
      .map((c) => ({ name: c.name(), description: c.description() })),
  };
}
