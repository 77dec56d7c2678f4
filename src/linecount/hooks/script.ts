/**
 * The text of the hooks we write, as pure functions. Two kinds:
 * - a file that stays on this machine (`.git/hooks/pre-push`) records the absolute node and script
 *   that installed it, so a PATH without tmc-orch still works, and falls back when they move
 *   (a node upgrade under nvm or Homebrew removes the old node);
 * - a file that lives in the working tree (`.husky/pre-push`, a tracked `core.hooksPath` folder)
 *   and the lines printed for lefthook and pre-commit are committed and run on every teammate's
 *   machine, so they hold no machine path: they call the project's `node_modules/.bin/tmc-orch`,
 *   else `tmc-orch` on PATH, else refuse the push saying how to install it. Their bytes depend on
 *   nothing but this file, so installing again anywhere changes nothing.
 */

/** A line only our hook script contains. */
export const HOOK_MARKER = '# tmc-orch-hook: pre-push';
/** Where a foreign pre-push hook is kept while ours chains it. */
export const CHAINED = 'pre-push.tmc-orch-chained';
export const BLOCK_BEGIN = '# >>> tmc-orch pre-push gate';
const BLOCK_END = '# <<< tmc-orch pre-push gate';

/** The command a machine-local hook records: absolute node and script. */
export interface HookCommand {
  node: string;
  script: string;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const LOCAL_BIN = 'node_modules/.bin/tmc-orch';
const NOT_FOUND =
  'tmc-orch: the pre-push gate cannot run: tmc-orch is neither in node_modules/.bin nor on PATH; install it (npm install --save-dev tmc-orch, or npm install --global tmc-orch), or push with --no-verify';

/**
 * True in a repository without a tmc-orch config (in the usual layout, where the common git dir
 * is <main worktree>/.git), where the gate has nothing to do: checked only when tmc-orch cannot
 * be found, so that a hook in a folder many repositories share does not block the others.
 */
const NO_CONFIG =
  'c=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null) && [ "${c##*/}" = .git ] && [ ! -f "${c%/*}/.tmc-orch.json" ]';

/**
 * POSIX sh that runs `tmc-orch hook pre-push <args>` portably (no final newline); its exit status
 * is the gate's. Hooks run at the top of the worktree, so node_modules/.bin is the
 * project's own copy.
 */
export function portableCall(args: string): string {
  const call = `hook pre-push${args ? ` ${args}` : ''}`;
  return [
    `if [ -x ${LOCAL_BIN} ]; then ${LOCAL_BIN} ${call}`,
    `elif command -v tmc-orch >/dev/null 2>&1; then tmc-orch ${call}`,
    `elif ${NO_CONFIG}; then :`,
    `else echo "${NOT_FOUND}" >&2; exit 1`,
    'fi',
  ].join('\n');
}

const HEADER = `#!/bin/sh
${HOOK_MARKER}
# The PR line gate of tmc-orch, after the hook it chains (if any). Installed by
# "tmc-orch hooks install"; "tmc-orch hooks uninstall" restores what was here.
# Bypass once, deliberately: git push --no-verify`;

const CHAIN = `input=$(cat; echo x)
input=\${input%x}
chained="$(dirname -- "$0")/${CHAINED}"
if [ -x "$chained" ]; then
  printf '%s' "$input" | "$chained" "$@" || exit $?
fi`;

/** The hook for a folder in the working tree: chains the foreign hook, then the portable call. */
export function portableHookScript(): string {
  return `${HEADER}
# Committed with the repository: it calls the project's tmc-orch, or the one on PATH.
${CHAIN}
printf '%s' "$input" | {
${portableCall('"$@"')}
}
`;
}

/**
 * The machine-local hook: chains the foreign hook, then runs the recorded node and script; when
 * either is gone, node from PATH, the project's tmc-orch, then tmc-orch on PATH, each saying so;
 * and refuses the push with the fix when none is there.
 */
export function recordedHookScript(cmd: HookCommand): string {
  return `${HEADER}
# This machine's node and tmc-orch, as "tmc-orch hooks install" found them:
node=${shellQuote(cmd.node)}
script=${shellQuote(cmd.script)}
${CHAIN}
gate() {
  gone=
  [ -x "$node" ] || gone="$node is gone; "
  [ -f "$script" ] || gone="$gone$script is gone; "
  if [ -z "$gone" ]; then
    "$node" "$script" hook pre-push "$@"
  elif [ -f "$script" ] && command -v node >/dev/null 2>&1; then
    echo "tmc-orch: \${gone}running the gate with node from PATH (to record it, run: tmc-orch hooks install)" >&2
    node "$script" hook pre-push "$@"
  elif [ -x ${LOCAL_BIN} ]; then
    echo "tmc-orch: \${gone}running ${LOCAL_BIN} (to record it, run: tmc-orch hooks install)" >&2
    ${LOCAL_BIN} hook pre-push "$@"
  elif command -v tmc-orch >/dev/null 2>&1; then
    echo "tmc-orch: \${gone}running tmc-orch from PATH (to record it, run: tmc-orch hooks install)" >&2
    tmc-orch hook pre-push "$@"
  elif ${NO_CONFIG}; then
    :
  else
    [ -f "$script" ] && gone="\${gone}no node on PATH; "
    echo "tmc-orch: the pre-push gate cannot run: \${gone}no tmc-orch in node_modules/.bin or on PATH; install tmc-orch (npm install --save-dev tmc-orch) and run tmc-orch hooks install, or push with --no-verify" >&2
    return 1
  fi
}
printf '%s' "$input" | gate "$@"
`;
}

/** What we add to a husky hook file: the portable call between markers that record our edit. */
function huskyBlock(state: BlockState): string {
  return `${BLOCK_BEGIN} ${JSON.stringify(state)}
${portableCall('"$@"')} || exit $?
${BLOCK_END}
`;
}

/** How to undo our edit of a husky file: whether we created it, whether we added a newline. */
export interface BlockState {
  created: boolean;
  addedNewline: boolean;
}

/** Our block appended to `text` (a newline first when its last line has none). */
export function appendBlock(text: string, created: boolean): string {
  const addedNewline = text !== '' && !text.endsWith('\n');
  return text + (addedNewline ? '\n' : '') + huskyBlock({ created, addedNewline });
}

/** The husky file we create when there is none. */
export const HUSKY_SHEBANG = '#!/usr/bin/env sh\n';

/** Removes our block from a husky hook; returns the text as it was before we added it. */
export function removeBlock(text: string): { text: string; state: BlockState } {
  let state: BlockState = { created: false, addedNewline: false };
  const begin = text.indexOf(BLOCK_BEGIN);
  const endMarker = text.indexOf(BLOCK_END, begin);
  if (begin === -1 || endMarker === -1) return { text, state };
  const end = text.indexOf('\n', endMarker);
  const header = text.slice(begin + BLOCK_BEGIN.length, text.indexOf('\n', begin)).trim();
  try {
    state = { ...state, ...(JSON.parse(header) as Partial<BlockState>) };
  } catch {
    // An edited marker: remove the block, keep everything else.
  }
  let before = text.slice(0, begin);
  if (state.addedNewline && before.endsWith('\n')) before = before.slice(0, -1);
  const after = end === -1 ? '' : text.slice(end + 1);
  return { text: before + after, state };
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/'\\''/g, "'");
}

const QUOTED = String.raw`'(?:[^']|'\\'')*'`;

/**
 * The node and script a machine-local hook records, or null (a portable hook). Reads this
 * version's `node=`/`script=` lines and the single call line of earlier versions.
 */
export function recordedCommand(text: string): HookCommand | null {
  const node = new RegExp(`^node=(${QUOTED})$`, 'm').exec(text)?.[1];
  const script = new RegExp(`^script=(${QUOTED})$`, 'm').exec(text)?.[1];
  if (node && script) return { node: unquote(node), script: unquote(script) };
  const old = new RegExp(
    `^(?:printf '%s' "\\$input" \\| )?(${QUOTED}) (${QUOTED}) hook pre-push`,
    'm',
  ).exec(text);
  return old?.[1] && old[2] ? { node: unquote(old[1]), script: unquote(old[2]) } : null;
}

/** Whether a hook (or a manager's command line) runs the gate: `tmc-orch … hook pre-push`. */
export function callsGate(text: string): boolean {
  return /tmc-orch(?:\.js)?['"]?\s+hook\s+pre-push\b/.test(text) || text.includes(BLOCK_BEGIN);
}
