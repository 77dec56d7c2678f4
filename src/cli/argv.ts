/** The few questions about raw argv that commander cannot answer once it has parsed it. */

/** The words before "--": after it a word is an operand (a log message may mention --json). */
function flagWords(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

export function hasFlag(argv: readonly string[], ...names: string[]): boolean {
  return flagWords(argv).some((a) => names.includes(a));
}

/** Whether --agent is given after the word "show" (commander keeps the last --agent given). */
export function agentAfterShow(argv: readonly string[]): boolean {
  const args = flagWords(argv);
  const show = args.indexOf('show', args.indexOf('log'));
  return (
    show !== -1 && args.slice(show + 1).some((a) => a === '--agent' || a.startsWith('--agent='))
  );
}
