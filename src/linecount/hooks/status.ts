import path from 'node:path';
import { worktreeGitDir } from '../../git/index.js';
import { CONFIG_FILE } from '../../config/schema.js';
import type { Repo } from '../../repo.js';
import { mapLimit, defaultConcurrency } from '../../util/concurrency.js';
import { findOnPath, isExecutable, pathExists, readTextOrNull } from '../../util/fs.js';
import { worktrees } from '../../worktrees/worktrees.js';
import type { HookManager } from './install.js';
import { locateHook } from './location.js';
import { gateInConfig, INSTALL_COMMAND, isManagerHook, managerConfigs } from './managers.js';
import { BLOCK_BEGIN, callsGate, CHAINED, HOOK_MARKER, recordedCommand } from './script.js';

export interface WorktreeHookStatus {
  worktree: string;
  path: string;
  manager: HookManager;
  /** The hook file, or the manager's config that runs the gate. */
  file: string;
  /** Whether a push from this worktree runs the gate. */
  runs: boolean;
  /** Why not, and the fix; null when it runs. */
  problem: string | null;
  /** It runs, but not as installed (a fallback); null when all is as installed. */
  warning: string | null;
  /** The foreign hook that runs first, or null. */
  chained: string | null;
}

type Verdict = Pick<WorktreeHookStatus, 'runs' | 'problem' | 'warning'>;
const on: Verdict = { runs: true, problem: null, warning: null };
const off = (problem: string): Verdict => ({ runs: false, problem, warning: null });

const LOCAL_BIN = path.join('node_modules', '.bin', 'tmc-orch');

/** Where a committed hook finds tmc-orch from this worktree: its node_modules/.bin, then PATH. */
async function portableProblem(top: string, pathValue: string): Promise<string | null> {
  if (await isExecutable(path.join(top, LOCAL_BIN))) return null;
  if (await findOnPath('tmc-orch', pathValue)) return null;
  return `tmc-orch is neither in ${LOCAL_BIN} nor on PATH, so the hook refuses every push; install it: npm install --save-dev tmc-orch`;
}

async function portableVerdict(top: string, pathValue: string): Promise<Verdict> {
  const problem = await portableProblem(top, pathValue);
  return problem === null ? on : off(problem);
}

/** A machine-local hook: are its recorded node and script there, and if not what runs instead. */
async function recordedVerdict(text: string, top: string, pathValue: string): Promise<Verdict> {
  const cmd = recordedCommand(text);
  if (!cmd) return on;
  const gone = [
    ...((await isExecutable(cmd.node)) ? [] : [`node ${cmd.node} is gone`]),
    ...((await pathExists(cmd.script)) ? [] : [`tmc-orch ${cmd.script} is gone`]),
  ].join(' and ');
  if (gone === '') return on;
  const fix = 'run tmc-orch hooks install';
  // Hooks written before the fallbacks existed run only what they recorded.
  if (/^gate\(\) \{$/m.test(text)) {
    const node = (await pathExists(cmd.script)) ? await findOnPath('node', pathValue) : null;
    const local = path.join(top, LOCAL_BIN);
    const fallback = node
      ? `node from PATH (${node})`
      : (await isExecutable(local))
        ? local
        : await findOnPath('tmc-orch', pathValue);
    if (fallback) {
      return { ...on, warning: `${gone}; the hook runs ${fallback} instead; to record it: ${fix}` };
    }
  }
  return off(
    `broken: ${gone}, and no other node or tmc-orch is found (${LOCAL_BIN}, PATH); the hook refuses every push: ${fix}`,
  );
}

async function worktreeStatus(
  repo: Repo,
  wt: { name: string; path: string },
  pathValue: string,
): Promise<WorktreeHookStatus> {
  const where = await locateHook({
    toplevel: wt.path,
    gitDir: (await worktreeGitDir(wt.path)) ?? repo.commonDir,
    commonDir: repo.commonDir,
  });
  const text = await readTextOrNull(where.file);
  const row = (verdict: Verdict, more: Partial<WorktreeHookStatus> = {}): WorktreeHookStatus => ({
    worktree: wt.name,
    path: wt.path,
    manager: where.manager,
    file: where.file,
    chained: null,
    ...verdict,
    ...more,
  });

  if (where.manager === 'git' && text?.includes(HOOK_MARKER)) {
    if (!(await isExecutable(where.file))) {
      return row(off(`${where.file} is not executable, git skips it; run tmc-orch hooks install`));
    }
    const chainedFile = path.join(where.hooksDir, CHAINED);
    const chained = (await isExecutable(chainedFile)) ? chainedFile : null;
    const verdict = recordedCommand(text)
      ? await recordedVerdict(text, wt.path, pathValue)
      : await portableVerdict(wt.path, pathValue);
    return row(verdict, { chained });
  }

  for (const config of await managerConfigs(wt.path)) {
    const gate = await gateInConfig(config);
    const more = { manager: config.manager, file: config.file };
    if (gate.status === 'absent') {
      return row(
        off(
          `${path.basename(config.file)} does not run the gate; tmc-orch hooks install prints the lines to add`,
        ),
        more,
      );
    }
    if (gate.status !== 'ok') return row(off(gate.problem), more);
    if (!isManagerHook(config.manager, text)) {
      return row(
        off(
          `${path.basename(config.file)} runs the gate, but ${config.manager} has not installed its pre-push hook here; run: ${INSTALL_COMMAND[config.manager]}`,
        ),
        more,
      );
    }
    return row(await portableVerdict(wt.path, pathValue), more);
  }

  if (text === null) {
    return row(
      off(
        where.manager === 'husky'
          ? `${where.file} does not call tmc-orch; run tmc-orch hooks install here`
          : `no pre-push hook in ${where.hooksDir}; run tmc-orch hooks install`,
      ),
    );
  }
  if (!text.includes(BLOCK_BEGIN) && !callsGate(text)) {
    return row(
      off(
        where.manager === 'husky'
          ? `${where.file} does not call tmc-orch; run tmc-orch hooks install here`
          : `${where.file} is another hook; run tmc-orch hooks install to chain it`,
      ),
    );
  }
  if (where.manager === 'husky' && !(await pathExists(path.join(where.hooksDir, 'pre-push')))) {
    return row(off(`husky has not set up ${where.hooksDir}; run npx husky there`));
  }
  if (where.manager === 'git' && !(await isExecutable(where.file))) {
    return row(off(`${where.file} is not executable, git skips it; run tmc-orch hooks install`));
  }
  if (recordedCommand(text)) {
    // Written by an earlier tmc-orch: this machine's paths, in a file teammates share.
    const verdict = await recordedVerdict(text, wt.path, pathValue);
    const stale = `${where.file} calls this machine's node and tmc-orch, which fail on other machines; run tmc-orch hooks install to make it portable`;
    return row(verdict.runs ? { ...verdict, warning: stale } : verdict);
  }
  return row(await portableVerdict(wt.path, pathValue));
}

/**
 * For every worktree, whether a push from there runs the gate: through our hook file, husky, or
 * a lefthook or pre-commit config, and whether what that hook calls is there (`pathValue`: the
 * PATH a push would search).
 */
export async function hookStatus(repo: Repo, pathValue: string): Promise<WorktreeHookStatus[]> {
  const all = await worktrees(repo);
  const rows = await mapLimit(all, defaultConcurrency(), async (wt) => {
    if (wt.prunable !== null || !(await pathExists(wt.path))) {
      return {
        worktree: wt.name,
        path: wt.path,
        manager: 'git' as const,
        file: '',
        runs: false,
        problem: 'the worktree folder is missing',
        warning: null,
        chained: null,
      };
    }
    return worktreeStatus(repo, wt, pathValue);
  });
  if (repo.configFile !== null) return rows;
  const none = `no ${path.join(repo.mainRoot, CONFIG_FILE)}: the hook lets every push through; run tmc-orch init`;
  return rows.map((r) => (r.runs ? { ...r, runs: false, problem: none, warning: null } : r));
}
