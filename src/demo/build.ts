// Over 250 lines: the demo repository in one pass (history, config, worktrees), read top to bottom.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../config/schema.js';
import { runGates } from '../gates/gates.js';
import { addWorktree, resolveCommit, runGit } from '../git/index.js';
import { installHook } from '../linecount/hooks/install.js';
import { logOverride } from '../plan/claim-check.js';
import { importPlan } from '../plan/import.js';
import { liveForClaim } from '../plan/live.js';
import { planName } from '../plan/worktrees.js';
import { validatePlan } from '../plan/validate.js';
import { claimBlockers } from '../plan/view.js';
import { openRepo, type Repo } from '../repo.js';
import { appendLog } from '../log/append.js';
import { claimWorktree } from '../claims/claim.js';
import { worktrees } from '../worktrees/worktrees.js';
import {
  BASE_FILES,
  BRANCHES,
  BRANCH_PREFIX,
  CLAIMS,
  FRESH,
  LOG_ENTRIES,
  SQUASHED,
  type Files,
} from './content.js';
import { DEMO_GATES, PLAN_MARKDOWN } from './plan-text.js';

/**
 * Builds the demo repository inside one folder: `kcp` (the main worktree), `remote.git` (a bare
 * repository as its origin), `kcp-worktrees/` and `kcp-shared-tools/` (tmc-orch's defaults). The
 * whole history is written by one `git fast-import`; worktrees, claims, the status log, the hook
 * and the gate verdicts then come from tmc-orch's own code, as the agents' commands would make
 * them. Nothing outside the folder is read or written: the repository has its own identity,
 * hooks folder and no signing, whatever the user's git config says.
 */

export interface DemoLayout {
  dir: string;
  main: string;
  remote: string;
  worktreeRoot: string;
  sharedDir: string;
}

export function demoLayout(dir: string): DemoLayout {
  return {
    dir,
    main: path.join(dir, 'kcp'),
    remote: path.join(dir, 'remote.git'),
    worktreeRoot: path.join(dir, 'kcp-worktrees'),
    sharedDir: path.join(dir, 'kcp-shared-tools'),
  };
}

/** The names of what the demo creates in its folder (a second run removes exactly these). */
export const DEMO_ENTRIES = ['kcp', 'remote.git', 'kcp-worktrees', 'kcp-shared-tools'];

export interface DemoBuild {
  repo: Repo;
  worktrees: string[];
  oversized: string;
}

export interface BuildOptions {
  now: Date;
  /** How the hook calls tmc-orch: this node and this script. */
  command: { node: string; script: string };
  /** Told each step as it starts, for progress display. */
  onProgress?: (step: string) => void;
}

const IDENTITY = { name: 'tmc-orch demo', email: 'demo@tmc-orch.invalid' };

export async function buildDemo(layout: DemoLayout, options: BuildOptions): Promise<DemoBuild> {
  const step = (text: string) => options.onProgress?.(text);
  step('writing the history…');
  await mkdir(layout.main, { recursive: true });
  // No templates: the user's init.templateDir could bring hooks of theirs along.
  await git(layout.dir, [
    'init',
    '-q',
    '-b',
    'main',
    '--template=',
    '--end-of-options',
    layout.main,
  ]);
  await git(layout.dir, ['init', '-q', '--bare', '--template=', '--end-of-options', layout.remote]);
  await appendFile(path.join(layout.main, '.git', 'config'), localConfig(layout));
  // The remote runs hooks too (receive-pack's reference-transaction, pre-receive…): its own
  // empty hooks folder, so that a global core.hooksPath cannot refuse the demo's pushes.
  await appendFile(path.join(layout.remote, 'config'), remoteConfig(layout));
  await git(layout.main, ['fast-import', '--quiet'], history(options.now));
  await git(layout.main, ['reset', '-q', '--hard']);
  await git(layout.main, ['push', '-q', 'origin', 'refs/heads/main:refs/heads/main']);

  step('creating the worktrees…');
  const repo = await openRepo(layout.main);
  const plan = repo.config.plan;
  if (!plan) throw new Error('the demo config has no plan');
  // Plain git worktrees under tmc-orch's root, as `tmc-orch worktree add` makes them; one git
  // process each instead of its dozen checks, which a fresh repository needs none of.
  const base = await resolveCommit(layout.main, 'refs/heads/main');
  for (const name of BRANCHES.map((b) => b.name)) {
    await addWorktree(layout.main, {
      path: path.join(layout.worktreeRoot, name),
      branch: `${BRANCH_PREFIX}${name}`,
      newBranch: false,
    });
  }
  for (const name of FRESH) {
    await addWorktree(layout.main, {
      path: path.join(layout.worktreeRoot, name),
      branch: `${BRANCH_PREFIX}${name}`,
      newBranch: true,
      ...(base ? { startPoint: base } : {}),
    });
  }
  step('claiming worktrees…');
  // What `tmc-orch claim` decides: agent-3's stream waits for stream 1, so agent-3 claims with
  // --force and the override is logged.
  await Promise.all(
    CLAIMS.map(async (claim) => {
      const live = await liveForClaim(repo, plan, claim.worktree);
      await claimWorktree(repo, { name: claim.worktree, agent: claim.agent, task: claim.task });
      const check = claimBlockers(plan, live, claim.worktree);
      if (check.status === 'blocked') await logOverride(repo, claim.agent, check);
    }),
  );
  step('writing the status log…');
  for (const entry of LOG_ENTRIES) {
    const time = new Date(options.now.getTime() - entry.minutesAgo * 60_000);
    await appendLog(repo, { ...entry, source: 'agent' }, time);
  }
  step('installing the pre-push hook…');
  await installHook(repo, options.command, { force: false });
  const list = (await worktrees(repo)).map((wt) => ({
    name: planName(wt),
    path: wt.path,
    head: wt.head,
  }));
  step('running the gates…');
  await runGates(list, plan.gates, { sharedDir: repo.sharedDir, concurrency: 4 });
  return { repo, worktrees: list.map((w) => w.name), oversized: '02-apiexport-split' };
}

async function git(cwd: string, args: string[], input?: string): Promise<void> {
  await runGit(args, {
    cwd,
    ...(input !== undefined ? { input } : {}),
    env: {
      GIT_AUTHOR_NAME: IDENTITY.name,
      GIT_AUTHOR_EMAIL: IDENTITY.email,
      GIT_COMMITTER_NAME: IDENTITY.name,
      GIT_COMMITTER_EMAIL: IDENTITY.email,
    },
  });
}

/** A value in git's config syntax: quoted, with backslashes and quotes escaped. */
function configValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The demo repository's own settings, so the user's global git config does not reach in. */
function localConfig(layout: DemoLayout): string {
  return [
    '[user]',
    `\tname = ${IDENTITY.name}`,
    `\temail = ${IDENTITY.email}`,
    '[commit]',
    '\tgpgsign = false',
    '[tag]',
    '\tgpgsign = false',
    '[push]',
    '\tgpgSign = false',
    // Its remote is a folder beside it: a protocol allow-list (protocol.allow = never) must not
    // keep it out.
    '[protocol "file"]',
    '\tallow = always',
    '[core]',
    `\thooksPath = ${configValue(path.join(layout.main, '.git', 'hooks'))}`,
    '[gc]',
    '\tauto = 0',
    '[remote "origin"]',
    `\turl = ${configValue(layout.remote)}`,
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '[branch "main"]',
    '\tremote = origin',
    '\tmerge = refs/heads/main',
    '',
  ].join('\n');
}

/** The bare remote's own settings: no hooks but its own (there are none). */
function remoteConfig(layout: DemoLayout): string {
  return [
    '[core]',
    `\thooksPath = ${configValue(path.join(layout.remote, 'hooks'))}`,
    '[gc]',
    '\tauto = 0',
    '',
  ].join('\n');
}

/** The config the team wrote: the imported plan and the gates they added by hand. */
export function demoConfig(): Record<string, unknown> {
  const imported = importPlan(PLAN_MARKDOWN);
  const checked = validatePlan({ ...imported.plan, gates: DEMO_GATES });
  if (!checked.ok) throw new Error(`the demo plan is invalid: ${checked.problems.join('; ')}`);
  return { base: 'main', remote: 'origin', branchPrefix: BRANCH_PREFIX, plan: checked.plan };
}

/** The whole history as a `git fast-import` stream. */
function history(now: Date): string {
  const out: string[] = [];
  const seconds = (hoursAgo: number) => Math.floor(now.getTime() / 1000 - hoursAgo * 3600);
  const commit = (
    ref: string,
    mark: number,
    author: string,
    hoursAgo: number,
    message: string,
    files: Files,
    from: number | null,
  ) => {
    const who = `${author} <${author}@tmc.invalid> ${seconds(hoursAgo)} +0000`;
    out.push(`commit ${ref}`, `mark :${mark}`, `author ${who}`, `committer ${who}`, data(message));
    if (from !== null) out.push(`from :${from}`);
    for (const [file, content] of Object.entries(files)) {
      out.push(`M 100644 inline ${file}`, data(content));
    }
    out.push('');
  };
  const config = `${JSON.stringify(demoConfig(), null, 2)}\n`;
  commit(
    'refs/heads/main',
    1,
    'agent-8',
    48,
    'TMC module, the orchestration plan and the tmc-orch config',
    { ...BASE_FILES, [CONFIG_FILE]: config },
    null,
  );
  let mark = 10;
  const agents = importPlan(PLAN_MARKDOWN).plan.agents;
  const agentOf = (name: string) => agents.find((a) => a.worktree === name)?.id ?? 'agent-8';
  for (const branch of BRANCHES) {
    let parent = 1;
    for (const c of branch.commits) {
      commit(
        `refs/heads/${BRANCH_PREFIX}${branch.name}`,
        ++mark,
        agentOf(branch.name),
        c.hoursAgo,
        c.message,
        c.files,
        parent,
      );
      parent = mark;
    }
  }
  // The feature flags landed as one squashed commit, as a forge's "squash and merge" does.
  const squashed = BRANCHES.find((b) => b.name === SQUASHED);
  const files = Object.assign({}, ...(squashed?.commits.map((c) => c.files) ?? [])) as Files;
  commit(
    'refs/heads/main',
    ++mark,
    'agent-8',
    26,
    `Feature flags for TMC (#${SQUASHED})`,
    files,
    1,
  );
  return `${out.join('\n')}\n`;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}`;
}
