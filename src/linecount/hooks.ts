import { access, constants, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import { configValue, hooksDir } from '../git/index.js';
import type { Repo } from '../repo.js';
import { mapLimit, defaultConcurrency } from '../util/concurrency.js';
import { pathExists, readTextOrNull, writeFileAtomic } from '../util/fs.js';
import { worktrees } from '../worktrees/worktrees.js';

/** A line only our hook script contains. */
export const HOOK_MARKER = '# tmc-orch-hook: pre-push';
/** Where a foreign pre-push hook is kept while ours chains it. */
export const CHAINED = 'pre-push.tmc-orch-chained';
const BLOCK_BEGIN = '# >>> tmc-orch pre-push gate';
const BLOCK_END = '# <<< tmc-orch pre-push gate';

/** The command the hook runs: absolute node and script, so a PATH without tmc-orch still works. */
export interface HookCommand {
  node: string;
  script: string;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The standalone hook: runs the chained foreign hook (same args, same stdin), then the gate. */
export function hookScript(cmd: HookCommand): string {
  const node = shellQuote(cmd.node);
  const script = shellQuote(cmd.script);
  return `#!/bin/sh
${HOOK_MARKER}
# The PR line gate of tmc-orch, after the hook it chains (if any). Installed by
# "tmc-orch hooks install"; "tmc-orch hooks uninstall" restores what was here.
# Bypass once, deliberately: git push --no-verify
input=$(cat; echo x)
input=\${input%x}
chained="$(dirname -- "$0")/${CHAINED}"
if [ -x "$chained" ]; then
  printf '%s' "$input" | "$chained" "$@" || exit $?
fi
if [ ! -f ${script} ]; then
  echo "tmc-orch: the pre-push gate cannot run: ${cmd.script.replace(/["$`\\]/g, '')} is gone; reinstall it and run tmc-orch hooks install, or push with --no-verify" >&2
  exit 1
fi
printf '%s' "$input" | ${node} ${script} hook pre-push "$@"
`;
}

function huskyBlock(cmd: HookCommand, created: boolean, addedNewline: boolean): string {
  const state = JSON.stringify({ created, addedNewline });
  return `${BLOCK_BEGIN} ${state}
${shellQuote(cmd.node)} ${shellQuote(cmd.script)} hook pre-push "$@" || exit 1
${BLOCK_END}
`;
}

export type HookManager = 'git' | 'husky';

export interface HookLocation {
  manager: HookManager;
  /** The folder git runs hooks from. */
  hooksDir: string;
  /** The file we write: <hooksDir>/pre-push, or .husky/pre-push. */
  file: string;
  /** core.hooksPath as configured, or null. */
  hooksPath: string | null;
}

/** Husky points core.hooksPath at `.husky/_` (v9) or `.husky` (v4-v8); its hooks are `.husky/*`. */
export function isHuskyPath(hooksPath: string | null): boolean {
  return hooksPath !== null && /(^|[\\/])\.husky([\\/]_)?[\\/]?$/.test(hooksPath);
}

export async function locateHook(worktreeTop: string): Promise<HookLocation> {
  const [dir, hooksPath] = await Promise.all([
    hooksDir(worktreeTop),
    configValue(worktreeTop, 'core.hooksPath'),
  ]);
  if (isHuskyPath(hooksPath)) {
    const huskyDir = path.basename(dir) === '_' ? path.dirname(dir) : dir;
    return { manager: 'husky', hooksDir: dir, file: path.join(huskyDir, 'pre-push'), hooksPath };
  }
  return { manager: 'git', hooksDir: dir, file: path.join(dir, 'pre-push'), hooksPath };
}

/** Other hook managers that would overwrite or bypass our hook, by their config file. */
export async function otherManagers(worktreeTop: string): Promise<string[]> {
  const found: string[] = [];
  for (const [file, name] of [
    ['lefthook.yml', 'lefthook'],
    ['.lefthook.yml', 'lefthook'],
    ['lefthook.yaml', 'lefthook'],
    ['.pre-commit-config.yaml', 'pre-commit'],
  ] as const) {
    if ((await pathExists(path.join(worktreeTop, file))) && !found.includes(name)) found.push(name);
  }
  return found;
}

/** The exact lines to add to another hook manager's config. */
export function managerSnippet(manager: string, cmd: HookCommand): string {
  const call = `${shellQuote(cmd.node)} ${shellQuote(cmd.script)}`;
  if (manager === 'lefthook') {
    return `pre-push:\n  commands:\n    tmc-orch:\n      run: ${call} hook pre-push {1} {2}\n      use_stdin: true`;
  }
  return `- repo: local\n  hooks:\n    - id: tmc-orch\n      name: tmc-orch PR line gate\n      entry: ${call} check\n      language: system\n      stages: [pre-push]\n      pass_filenames: false\n      always_run: true`;
}

export type InstallAction = 'installed' | 'chained' | 'updated' | 'unchanged';

export interface InstallResult {
  manager: HookManager;
  file: string;
  action: InstallAction;
  /** The foreign hook now chained, or null. */
  chained: string | null;
  command: HookCommand;
}

/** Installs the hook where git looks for it from `repo.toplevel` (shared by every worktree). */
export async function installHook(
  repo: Repo,
  cmd: HookCommand,
  options: { force: boolean },
): Promise<InstallResult> {
  const others = await otherManagers(repo.toplevel);
  if (others.length > 0 && !options.force) {
    const snippets = others.map((m) => `${m}:\n${managerSnippet(m, cmd)}`).join('\n');
    throw new RefusedError(
      `${others.join(' and ')} manage(s) the git hooks here and would replace ours; add this to its config:\n${snippets}\nor pass --force to chain the current pre-push hook anyway`,
    );
  }
  const where = await locateHook(repo.toplevel);
  if (where.manager === 'husky') return installHusky(where, cmd);

  await mkdir(where.hooksDir, { recursive: true });
  const chainedFile = path.join(where.hooksDir, CHAINED);
  const wanted = hookScript(cmd);
  const current = await readTextOrNull(where.file);
  const hasChained = await pathExists(chainedFile);
  const result = (action: InstallAction): InstallResult => ({
    manager: 'git',
    file: where.file,
    action,
    chained: hasChained || action === 'chained' ? chainedFile : null,
    command: cmd,
  });
  if (current !== null && current.includes(HOOK_MARKER)) {
    if (current === wanted) return result('unchanged');
    await writeFileAtomic(where.file, wanted, 0o755);
    return result('updated');
  }
  if (current !== null) {
    if (hasChained) {
      throw new RefusedError(
        `${where.file} is a foreign hook and ${chainedFile} already exists; merge or remove one of them, then rerun tmc-orch hooks install`,
      );
    }
    // rename keeps the bytes and the mode; a crash after it leaves the chained hook in place and
    // a re-install picks it up.
    await rename(where.file, chainedFile);
    await writeFileAtomic(where.file, wanted, 0o755);
    return result('chained');
  }
  await writeFileAtomic(where.file, wanted, 0o755);
  return result('installed');
}

async function installHusky(where: HookLocation, cmd: HookCommand): Promise<InstallResult> {
  const current = await readTextOrNull(where.file);
  const base = { manager: 'husky' as const, file: where.file, chained: null, command: cmd };
  if (current !== null && current.includes(BLOCK_BEGIN)) {
    const { text, state } = removeBlock(current);
    const updated = text + huskyBlockAt(text, cmd, state.created);
    if (updated === current) return { ...base, action: 'unchanged' };
    await writeKeepingMode(where.file, updated);
    return { ...base, action: 'updated' };
  }
  if (current === null) {
    await mkdir(path.dirname(where.file), { recursive: true });
    await writeFileAtomic(where.file, `#!/usr/bin/env sh\n${huskyBlock(cmd, true, false)}`, 0o755);
    return { ...base, action: 'installed' };
  }
  await writeKeepingMode(where.file, current + huskyBlockAt(current, cmd, false));
  return { ...base, action: 'installed' };
}

function huskyBlockAt(text: string, cmd: HookCommand, created: boolean): string {
  const addNewline = text !== '' && !text.endsWith('\n');
  return (addNewline ? '\n' : '') + huskyBlock(cmd, created, addNewline);
}

async function writeKeepingMode(file: string, content: string): Promise<void> {
  const { mode } = await stat(file);
  await writeFileAtomic(file, content, mode & 0o777);
}

/** Removes our block from a husky hook; returns the text as it was before we added it. */
function removeBlock(text: string): { text: string; state: { created: boolean } } {
  const begin = text.indexOf(BLOCK_BEGIN);
  const endMarker = text.indexOf(BLOCK_END, begin);
  if (begin === -1 || endMarker === -1) return { text, state: { created: false } };
  const end = text.indexOf('\n', endMarker);
  const header = text.slice(begin + BLOCK_BEGIN.length, text.indexOf('\n', begin)).trim();
  let state = { created: false, addedNewline: false };
  try {
    state = { ...state, ...(JSON.parse(header) as object) };
  } catch {
    // An edited marker: remove the block, keep everything else.
  }
  let before = text.slice(0, begin);
  if (state.addedNewline && before.endsWith('\n')) before = before.slice(0, -1);
  const after = end === -1 ? '' : text.slice(end + 1);
  return { text: before + after, state };
}

export type UninstallAction = 'removed' | 'restored' | 'not-installed';

export interface UninstallResult {
  manager: HookManager;
  file: string;
  action: UninstallAction;
}

/** Removes our hook and puts back exactly what was there (the chained hook, or the husky file). */
export async function uninstallHook(repo: Repo): Promise<UninstallResult> {
  const where = await locateHook(repo.toplevel);
  const current = await readTextOrNull(where.file);
  if (where.manager === 'husky') {
    if (current === null || !current.includes(BLOCK_BEGIN)) {
      return { manager: 'husky', file: where.file, action: 'not-installed' };
    }
    const { text, state } = removeBlock(current);
    if (state.created && text === '#!/usr/bin/env sh\n') await rm(where.file);
    else await writeKeepingMode(where.file, text);
    return { manager: 'husky', file: where.file, action: 'removed' };
  }
  const chainedFile = path.join(where.hooksDir, CHAINED);
  if (current !== null && !current.includes(HOOK_MARKER)) {
    return { manager: 'git', file: where.file, action: 'not-installed' };
  }
  if (await pathExists(chainedFile)) {
    await rename(chainedFile, where.file);
    return { manager: 'git', file: where.file, action: 'restored' };
  }
  if (current === null) return { manager: 'git', file: where.file, action: 'not-installed' };
  await rm(where.file);
  return { manager: 'git', file: where.file, action: 'removed' };
}

export interface WorktreeHookStatus {
  worktree: string;
  path: string;
  manager: HookManager;
  file: string;
  /** Whether a push from this worktree runs the gate. */
  runs: boolean;
  /** Why not, or null. */
  problem: string | null;
  /** The foreign hook that runs first, or null. */
  chained: string | null;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The script our hook calls, as recorded in it, or null. */
function recordedScript(text: string): string | null {
  const match =
    /^(?:printf '%s' "\$input" \| )?'(?:[^']|'\\'')*' '((?:[^']|'\\'')*)' hook pre-push/m.exec(
      text,
    );
  return match?.[1] ? match[1].replace(/'\\''/g, "'") : null;
}

export async function hookStatus(repo: Repo): Promise<WorktreeHookStatus[]> {
  const all = await worktrees(repo);
  return mapLimit(all, defaultConcurrency(), async (wt) => {
    const base = { worktree: wt.name, path: wt.path };
    if (wt.prunable !== null || !(await pathExists(wt.path))) {
      return {
        ...base,
        manager: 'git' as const,
        file: '',
        runs: false,
        problem: 'the worktree folder is missing',
        chained: null,
      };
    }
    const where = await locateHook(wt.path);
    const status = (problem: string | null, chained: string | null = null): WorktreeHookStatus => ({
      ...base,
      manager: where.manager,
      file: where.file,
      runs: problem === null,
      problem,
      chained,
    });
    const text = await readTextOrNull(where.file);
    if (where.manager === 'husky') {
      if (text === null || !text.includes(BLOCK_BEGIN)) {
        return status(`${where.file} does not call tmc-orch; run tmc-orch hooks install here`);
      }
      if (!(await pathExists(path.join(where.hooksDir, 'pre-push')))) {
        return status(`husky has not set up ${where.hooksDir}; run npx husky`);
      }
    } else {
      if (text === null)
        return status(`no pre-push hook in ${where.hooksDir}; run tmc-orch hooks install`);
      if (!text.includes(HOOK_MARKER)) {
        return status(`${where.file} is another hook; run tmc-orch hooks install to chain it`);
      }
      if (!(await isExecutable(where.file))) {
        return status(`${where.file} is not executable, git skips it; run tmc-orch hooks install`);
      }
    }
    const script = recordedScript(text);
    if (script && !(await pathExists(script))) {
      return status(`the hook calls ${script}, which is gone; run tmc-orch hooks install`);
    }
    const chainedFile = path.join(where.hooksDir, CHAINED);
    return status(
      null,
      where.manager === 'git' && (await isExecutable(chainedFile)) ? chainedFile : null,
    );
  });
}
