// Over 250 lines: both managers' configs side by side (where, reading the gate, printing it).
import path from 'node:path';
import { loadYaml } from '../../util/external.js';
import { readTextOrNull } from '../../util/fs.js';
import { callsGate, portableCall } from './script.js';

/**
 * lefthook and pre-commit own `.git/hooks/pre-push` and run what their committed config lists, so
 * the gate goes into that config: the lines we print, which call tmc-orch portably. Each needs
 * something of its own to hand the gate every pushed ref:
 * - lefthook passes git's stdin (all refs) to a command only with `use_stdin: true`; without it
 *   the command reads an empty pipe and the gate would see nothing to check;
 * - pre-commit reads git's stdin itself and passes its hooks one ref, the first with new commits,
 *   as PRE_COMMIT_* variables (`tmc-orch hook pre-push --pre-commit` reads them); it runs hooks
 *   on push only once `pre-commit install -t pre-push` has installed its pre-push hook.
 */
export type ConfigManager = 'lefthook' | 'pre-commit';

/** The config files each manager reads, in its order; the first that exists is used. */
const CONFIG_FILES: Record<ConfigManager, readonly string[]> = {
  lefthook: [
    'lefthook.yml',
    '.lefthook.yml',
    'lefthook.yaml',
    '.lefthook.yaml',
    '.config/lefthook.yml',
    '.config/lefthook.yaml',
    'lefthook.json',
    '.lefthook.json',
    'lefthook.toml',
    '.lefthook.toml',
  ],
  'pre-commit': ['.pre-commit-config.yaml'],
};

/** Files a manager merges into its config; they are not committed. */
const LOCAL_FILES: Record<ConfigManager, readonly string[]> = {
  lefthook: ['lefthook-local.yml', '.lefthook-local.yml', 'lefthook-local.yaml'],
  'pre-commit': [],
};

/** The command that installs the manager's pre-push hook. */
export const INSTALL_COMMAND: Record<ConfigManager, string> = {
  lefthook: 'npx lefthook install',
  'pre-commit': 'pre-commit install -t pre-push',
};

export interface ManagerConfig {
  manager: ConfigManager;
  /** Absolute path of its config file. */
  file: string;
  /** The config text, and that of its local overrides, in the order the manager merges them. */
  texts: string[];
}

/** The hook managers configured in the worktree at `top`, by their config files. */
export async function managerConfigs(top: string): Promise<ManagerConfig[]> {
  const found: ManagerConfig[] = [];
  for (const manager of ['lefthook', 'pre-commit'] as const) {
    let file: string | null = null;
    const texts: string[] = [];
    for (const name of CONFIG_FILES[manager]) {
      const text = await readTextOrNull(path.join(top, name));
      if (text !== null) {
        file = path.join(top, name);
        texts.push(text);
        break;
      }
    }
    if (file === null) continue;
    for (const name of LOCAL_FILES[manager]) {
      const text = await readTextOrNull(path.join(top, name));
      if (text !== null) texts.push(text);
    }
    found.push({ manager, file, texts });
  }
  return found;
}

/** Whether the config runs the gate, and if so whether it gets what it needs. */
export type GateInConfig =
  | { status: 'absent' }
  | { status: 'ok' }
  | { status: 'misconfigured'; problem: string }
  | { status: 'unreadable'; problem: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The commands of a lefthook hook: `commands` (a map), `jobs` and nested `group.jobs` (lists). */
function lefthookCommands(hook: unknown): Record<string, unknown>[] {
  if (!isRecord(hook)) return [];
  const found: Record<string, unknown>[] = [];
  if (isRecord(hook.commands)) {
    for (const command of Object.values(hook.commands)) if (isRecord(command)) found.push(command);
  }
  if (Array.isArray(hook.jobs)) {
    for (const job of hook.jobs) {
      if (!isRecord(job)) continue;
      found.push(job);
      if (isRecord(job.group)) found.push(...lefthookCommands(job.group));
    }
  }
  return found;
}

/** Parses YAML (and JSON, a subset of it). */
async function parseYaml(text: string): Promise<unknown> {
  return (await loadYaml()).parse(text) as unknown;
}

/** Finds the gate in a lefthook config (a merge of the files in `texts`, later ones winning). */
async function lefthookGate(config: ManagerConfig): Promise<GateInConfig> {
  if (config.file.endsWith('.toml')) {
    return {
      status: 'unreadable',
      problem: `${path.basename(config.file)} is TOML, which tmc-orch does not read; use lefthook.yml to let tmc-orch check it`,
    };
  }
  const merged = new Map<string, Record<string, unknown>>();
  let jobs: Record<string, unknown>[] = [];
  for (const text of config.texts) {
    let doc: unknown;
    try {
      doc = await parseYaml(text);
    } catch (error) {
      return {
        status: 'unreadable',
        problem: `${config.file} is not valid YAML (${(error as Error).message.split('\n')[0]})`,
      };
    }
    const hook = isRecord(doc) ? doc['pre-push'] : undefined;
    if (!isRecord(hook)) continue;
    if (isRecord(hook.commands)) {
      for (const [name, command] of Object.entries(hook.commands)) {
        if (isRecord(command)) merged.set(name, { ...merged.get(name), ...command });
      }
    }
    if (Array.isArray(hook.jobs)) jobs = lefthookCommands({ jobs: hook.jobs });
  }
  const commands = [...merged.values(), ...jobs].filter(
    (c) => typeof c.run === 'string' && callsGate(c.run) && c.skip !== true,
  );
  if (commands.length === 0) return { status: 'absent' };
  if (commands.some((c) => c.use_stdin === true)) return { status: 'ok' };
  return {
    status: 'misconfigured',
    problem: `${path.basename(config.file)} runs the gate without use_stdin: true, so it sees no pushed branch; add use_stdin: true to that command`,
  };
}

/** Stages a pre-commit hook runs at that include pushes (`push` before pre-commit 3.2). */
function runsOnPush(stages: unknown): boolean {
  return (
    stages === undefined ||
    (Array.isArray(stages) && stages.some((s) => s === 'pre-push' || s === 'push'))
  );
}

/** Finds the gate in a `.pre-commit-config.yaml`. */
async function preCommitGate(config: ManagerConfig): Promise<GateInConfig> {
  let doc: unknown;
  try {
    doc = await parseYaml(config.texts[0] ?? '');
  } catch (error) {
    return {
      status: 'unreadable',
      problem: `${config.file} is not valid YAML (${(error as Error).message.split('\n')[0]})`,
    };
  }
  if (!isRecord(doc) || !Array.isArray(doc.repos)) return { status: 'absent' };
  const defaultStages = doc.default_stages;
  const hooks = doc.repos
    .flatMap((repo: unknown) => (isRecord(repo) && Array.isArray(repo.hooks) ? repo.hooks : []))
    .filter(
      (hook: unknown): hook is Record<string, unknown> =>
        isRecord(hook) && typeof hook.entry === 'string' && /\btmc-orch\b/.test(hook.entry),
    );
  if (hooks.length === 0) return { status: 'absent' };
  const gate = hooks.find((h) => callsGate(String(h.entry)));
  if (!gate) {
    return {
      status: 'misconfigured',
      problem: `${path.basename(config.file)} runs tmc-orch, but not the pre-push gate (tmc-orch check gates HEAD only, not the branches pushed); use the lines tmc-orch hooks install prints`,
    };
  }
  if (!String(gate.entry).includes('--pre-commit')) {
    return {
      status: 'misconfigured',
      problem: `${path.basename(config.file)} runs the gate without --pre-commit, so it sees no pushed branch (pre-commit does not pass git's stdin on); use the lines tmc-orch hooks install prints`,
    };
  }
  if (!runsOnPush(gate.stages ?? defaultStages)) {
    return {
      status: 'misconfigured',
      problem: `${path.basename(config.file)} lists the gate without the pre-push stage; add stages: [pre-push]`,
    };
  }
  return { status: 'ok' };
}

export function gateInConfig(config: ManagerConfig): Promise<GateInConfig> {
  return config.manager === 'lefthook' ? lefthookGate(config) : preCommitGate(config);
}

/** Whether `text` (the pre-push file in the hooks folder) is the manager's own hook. */
export function isManagerHook(manager: ConfigManager, text: string | null): boolean {
  if (text === null) return false;
  if (manager === 'lefthook') return /\blefthook\b/.test(text);
  return text.includes('pre-commit') && text.includes('--hook-type=pre-push');
}

/**
 * The pre-commit stage name for pushes: `pre-push` since pre-commit 3.2, `push` before (which
 * 4.x still accepts, with a deprecation warning). `version` is `pre-commit --version`'s output.
 */
export function preCommitPushStage(version: string | null): 'pre-push' | 'push' {
  const match = /(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return 'pre-push';
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 2) ? 'pre-push' : 'push';
}

/** The lines to add to the manager's config, as YAML written by a YAML library. */
export async function managerSnippet(
  manager: ConfigManager,
  preCommitStage: 'pre-push' | 'push' = 'pre-push',
): Promise<string> {
  const { stringify } = await loadYaml();
  const options = { lineWidth: 0 };
  if (manager === 'lefthook') {
    return stringify(
      { 'pre-push': { commands: { 'tmc-orch': { run: portableCall(''), use_stdin: true } } } },
      options,
    );
  }
  return stringify(
    {
      repos: [
        {
          repo: 'local',
          hooks: [
            {
              id: 'tmc-orch',
              name: 'tmc-orch PR line gate',
              entry: `sh -c '${portableCall('--pre-commit')}'`,
              language: 'system',
              stages: [preCommitStage],
              pass_filenames: false,
              always_run: true,
              verbose: true,
            },
          ],
        },
      ],
    },
    options,
  );
}
