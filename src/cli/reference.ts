import type { Command } from 'commander';

/** Markdown reference of every command, generated from the commander definitions. */
export function commandReference(program: Command): string {
  const lines: string[] = [];
  const visit = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      // help is commander's; __complete is hidden, for the completion scripts only.
      if (sub.name() === 'help' || sub.name().startsWith('__')) continue;
      const name = `${prefix} ${sub.name()}`.trim();
      const args = sub.registeredArguments
        .map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`) + (a.variadic ? '…' : ''))
        .join(' ');
      // A group that runs itself (log <message…>, plan, with log show and plan import under
      // them) is a command too. Commander keeps the action in a field it does not document.
      const hasAction = (sub as unknown as { _actionHandler?: unknown })._actionHandler != null;
      const runs =
        sub.commands.length === 0 ||
        sub.registeredArguments.length > 0 ||
        sub.options.length > 0 ||
        hasAction;
      if (runs) {
        lines.push(`### \`tmc-orch ${name}${args ? ` ${args}` : ''}\``, '', sub.description(), '');
        const items = [
          ...sub.registeredArguments.map((a) => `- \`${a.name()}\`: ${a.description}`),
          ...sub.options.map((o) => `- \`${o.flags}\`: ${o.description}`),
        ];
        if (items.length > 0) lines.push(...items, '');
      }
      visit(sub, name);
    }
  };
  lines.push('### Global options', '');
  for (const o of program.options) lines.push(`- \`${o.flags}\`: ${o.description}`);
  lines.push('');
  visit(program, '');
  return lines.join('\n');
}
