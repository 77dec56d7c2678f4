import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { RefusedError } from '../../errors.js';
import type { Repo } from '../../repo.js';
import { loadExeca } from '../../util/external.js';
import { pathExists, readTextOrNull, writeFileAtomic } from '../../util/fs.js';
import { locateHook, sharedFolderProblem, type HookLocation } from './location.js';
import {
  gateInConfig,
  INSTALL_COMMAND,
  isManagerHook,
  managerConfigs,
  managerSnippet,
  preCommitPushStage,
  type ConfigManager,
  type ManagerConfig,
} from './managers.js';
import {
  appendBlock,
  BLOCK_BEGIN,
  callsGate,
  CHAINED,
  HOOK_MARKER,
  HUSKY_SHEBANG,
  portableHookScript,
  recordedHookScript,
  removeBlock,
  type HookCommand,
} from './script.js';

export type HookManager = 'git' | 'husky' | ConfigManager;
type InstallAction = 'installed' | 'chained' | 'updated' | 'unchanged';

export type InstallResult =
  | {
      /** We wrote (or found) the gate in a hook file. */
      via: 'file';
      manager: 'git' | 'husky';
      file: string;
      action: InstallAction;
      /** The foreign hook now chained, or null. */
      chained: string | null;
      /** The file calls tmc-orch portably (it is committed), not this machine's node and script. */
      portable: boolean;
    }
  | {
      /** The manager's committed config already runs the gate; nothing written. */
      via: 'config';
      manager: ConfigManager;
      file: string;
      action: 'unchanged';
      /** What is left to run for the gate to run on push here, or null. */
      next: string | null;
    };

/** pre-commit's limit, which no entry can lift: README says it too. */
const PRE_COMMIT_NOTE =
  'pre-commit hands its hooks one branch of a push, the first with new commits: push branches one at a time, or a second branch in the same push goes ungated';

async function preCommitVersion(cwd: string): Promise<string | null> {
  const { execa } = await loadExeca();
  const result = await execa('pre-commit', ['--version'], { cwd, reject: false, stdin: 'ignore' });
  return result.exitCode === 0 ? String(result.stdout) : null;
}

/** What to add to each manager's config, for the refusal and for --json. */
async function snippets(configs: ManagerConfig[], cwd: string) {
  return Promise.all(
    configs.map(async (c) => ({
      manager: c.manager,
      file: c.file,
      /** What is wrong with the gate already there, or null. */
      problem: await gateProblem(c),
      snippet: await managerSnippet(
        c.manager,
        c.manager === 'pre-commit' ? preCommitPushStage(await preCommitVersion(cwd)) : 'pre-push',
      ),
      then: INSTALL_COMMAND[c.manager],
      note: c.manager === 'pre-commit' ? PRE_COMMIT_NOTE : null,
    })),
  );
}

async function gateProblem(config: ManagerConfig): Promise<string | null> {
  const gate = await gateInConfig(config);
  return gate.status === 'misconfigured' || gate.status === 'unreadable' ? gate.problem : null;
}

/**
 * Installs the gate where git looks for it from `repo.toplevel` (shared by every worktree, unless
 * core.hooksPath is relative). Refuses, unless forced, where lefthook or pre-commit own the hooks
 * (their config is where the gate goes) and where the folder is shared beyond this repository.
 */
export async function installHook(
  repo: Repo,
  cmd: HookCommand,
  options: { force: boolean },
): Promise<InstallResult> {
  const configs = await managerConfigs(repo.toplevel);
  const where = await locateHook(repo);
  for (const config of configs) {
    if ((await gateInConfig(config)).status !== 'ok') continue;
    const hook = await readTextOrNull(path.join(where.hooksDir, 'pre-push'));
    return {
      via: 'config',
      manager: config.manager,
      file: config.file,
      action: 'unchanged',
      next: isManagerHook(config.manager, hook) ? null : INSTALL_COMMAND[config.manager],
    };
  }
  if (configs.length > 0 && !options.force) {
    const managers = await snippets(configs, repo.toplevel);
    const lines = managers.map(
      (m) =>
        `${m.problem ? `${m.problem}. ` : ''}${m.manager} runs the git hooks here (${path.relative(repo.toplevel, m.file)}) and would replace ours; add to ${path.basename(m.file)}:\n${m.snippet}then run: ${m.then}${m.note ? `\n(${m.note})` : ''}`,
    );
    throw new RefusedError(
      `${lines.join('\n')}\nor pass --force to install the hook file and chain the current pre-push hook anyway`,
      { managers },
    );
  }
  const shared = sharedFolderProblem(where, repo);
  if (shared && !options.force) throw new RefusedError(shared, { hooksDir: where.hooksDir });

  if (where.manager === 'husky') return installHusky(where);
  return installFile(where, cmd);
}

async function installFile(where: HookLocation, cmd: HookCommand): Promise<InstallResult> {
  await mkdir(where.hooksDir, { recursive: true });
  const chainedFile = path.join(where.hooksDir, CHAINED);
  const wanted = where.portable ? portableHookScript() : recordedHookScript(cmd);
  const current = await readTextOrNull(where.file);
  const hasChained = await pathExists(chainedFile);
  const result = (action: InstallAction): InstallResult => ({
    via: 'file',
    manager: 'git',
    file: where.file,
    action,
    chained: hasChained || action === 'chained' ? chainedFile : null,
    portable: where.portable,
  });
  if (current !== null && current.includes(HOOK_MARKER)) {
    if (current === wanted) return result('unchanged');
    await writeFileAtomic(where.file, wanted, 0o755);
    return result('updated');
  }
  // A hook of the team's own that already runs the gate: chaining it would gate twice.
  if (current !== null && callsGate(current)) return result('unchanged');
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

async function installHusky(where: HookLocation): Promise<InstallResult> {
  const current = await readTextOrNull(where.file);
  const result = (action: InstallAction): InstallResult => ({
    via: 'file',
    manager: 'husky',
    file: where.file,
    action,
    chained: null,
    portable: true,
  });
  if (current !== null && current.includes(BLOCK_BEGIN)) {
    const { text, state } = removeBlock(current);
    const updated = appendBlock(text, state.created);
    if (updated === current) return result('unchanged');
    await writeKeepingMode(where.file, updated);
    return result('updated');
  }
  if (current !== null && callsGate(current)) return result('unchanged');
  if (current === null) {
    await mkdir(path.dirname(where.file), { recursive: true });
    await writeFileAtomic(where.file, appendBlock(HUSKY_SHEBANG, true), 0o755);
    return result('installed');
  }
  await writeKeepingMode(where.file, appendBlock(current, false));
  return result('installed');
}

async function writeKeepingMode(file: string, content: string): Promise<void> {
  const { mode } = await stat(file);
  await writeFileAtomic(file, content, mode & 0o777);
}

type UninstallAction = 'removed' | 'restored' | 'not-installed' | 'in-config';

export interface UninstallResult {
  manager: HookManager;
  file: string;
  action: UninstallAction;
}

/** Removes our hook and puts back exactly what was there (the chained hook, or the husky file). */
export async function uninstallHook(repo: Repo): Promise<UninstallResult> {
  const where = await locateHook(repo);
  const current = await readTextOrNull(where.file);
  const notInstalled = async (): Promise<UninstallResult> => {
    for (const config of await managerConfigs(repo.toplevel)) {
      if ((await gateInConfig(config)).status === 'ok') {
        return { manager: config.manager, file: config.file, action: 'in-config' };
      }
    }
    return { manager: where.manager, file: where.file, action: 'not-installed' };
  };
  if (where.manager === 'husky') {
    if (current === null || !current.includes(BLOCK_BEGIN)) return notInstalled();
    const { text, state } = removeBlock(current);
    if (state.created && text === HUSKY_SHEBANG) await rm(where.file);
    else await writeKeepingMode(where.file, text);
    return { manager: 'husky', file: where.file, action: 'removed' };
  }
  const chainedFile = path.join(where.hooksDir, CHAINED);
  if (current !== null && !current.includes(HOOK_MARKER)) return notInstalled();
  if (await pathExists(chainedFile)) {
    await rename(chainedFile, where.file);
    return { manager: 'git', file: where.file, action: 'restored' };
  }
  if (current === null) return notInstalled();
  await rm(where.file);
  return { manager: 'git', file: where.file, action: 'removed' };
}
