import path from 'node:path';
import { UsageError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { linkedWorktreeAdminDirs, listWorktrees, type GitWorktree } from '../git/index.js';
import type { Repo } from '../repo.js';
import { linkedIdentity, MAIN_IDENTITY } from './identity.js';
import { assertWorktreeName } from './names.js';
import { realpathLoose } from './paths.js';

/**
 * Finding worktrees by the names tmc-orch calls them (the folder's name). Every command that
 * takes a worktree name resolves it here, through pickWorktree, with one behaviour: an unknown
 * name and a name two worktrees share (one made by plain git elsewhere) are both bad input,
 * never a guess that could claim one worktree and delete the other.
 */

export interface WorktreeInfo {
  name: string;
  path: string;
  branch: string | null;
  head: string | null;
  main: boolean;
  locked: string | null;
  prunable: string | null;
  /** Which worktree this is, beyond its name and path (see identity.ts); null if unreadable. */
  identity: string | null;
}

/**
 * Every worktree git knows, main first, each with the name tmc-orch calls it by. Git runs in the
 * common git dir, so this works from a worktree that is being (or was just) removed.
 */
export async function worktrees(repo: Repo): Promise<WorktreeInfo[]> {
  return describeWorktrees(repo, listWorktrees(repo.commonDir));
}

/**
 * The worktrees of git's listing (`listing`, still running or done) with the names tmc-orch calls
 * them by: for a caller that starts work on the listing itself before this is done (status).
 */
export async function describeWorktrees(
  repo: Repo,
  listing: Promise<readonly GitWorktree[]>,
): Promise<WorktreeInfo[]> {
  const [list, adminDirs, mainReal] = await Promise.all([
    listing,
    linkedWorktreeAdminDirs(repo.commonDir),
    realpathLoose(repo.mainRoot),
  ]);
  // All at once: one after another, 40 worktrees' file reads took 20 ms.
  return Promise.all(
    list
      .filter((wt) => !wt.bare)
      .map(async (wt) => {
        const main = (await realpathLoose(wt.path)) === mainReal;
        const adminDir = main ? null : await adminDirOf(wt.path, adminDirs);
        const identity = main ? MAIN_IDENTITY : adminDir ? await linkedIdentity(adminDir) : null;
        return toInfo(wt, main, identity);
      }),
  );
}

async function adminDirOf(wtPath: string, adminDirs: Map<string, string>): Promise<string | null> {
  const exact = adminDirs.get(wtPath);
  if (exact) return exact;
  // The same folder written another way (a symlink on the way).
  const real = await realpathLoose(wtPath);
  for (const [p, dir] of adminDirs) if ((await realpathLoose(p)) === real) return dir;
  return null;
}

function toInfo(wt: GitWorktree, main: boolean, identity: string | null): WorktreeInfo {
  return {
    name: path.basename(wt.path),
    path: wt.path,
    branch: wt.branch,
    head: wt.head,
    main,
    locked: wt.locked,
    prunable: wt.prunable,
    identity,
  };
}

export type NameLookup<T> =
  | { status: 'found'; worktree: T }
  | { status: 'missing'; known: string[] }
  | { status: 'ambiguous'; paths: string[] };

/** The worktrees in `all` called `name`: exactly one, none, or several. */
export function lookupName<T extends { name: string; path: string }>(
  all: readonly T[],
  name: string,
): NameLookup<T> {
  const named = all.filter((w) => w.name === name);
  const [only] = named;
  if (named.length === 1 && only) return { status: 'found', worktree: only };
  if (named.length === 0) return { status: 'missing', known: all.map((w) => w.name) };
  return { status: 'ambiguous', paths: named.map((w) => w.path) };
}

export function missingWorktreeError(name: string, known: readonly string[]): UsageError {
  return new UsageError(
    `no worktree named ${JSON.stringify(name)} (known: ${known.join(', ')}); ${didYouMean(name, known)}see tmc-orch worktree list, or create it with tmc-orch worktree add ${name}`,
  );
}

export function ambiguousWorktreeError(name: string, paths: readonly string[]): UsageError {
  const other = paths[paths.length - 1] ?? '';
  return new UsageError(
    `${paths.length} worktrees are named ${JSON.stringify(name)}: ${paths.join(' and ')}; tmc-orch acts on neither. Give one another folder name, e.g. git worktree move ${other} ${other}-2`,
    { paths: [...paths] },
  );
}

/** The one worktree in `all` called `name` (validated), or a UsageError. */
export function pickWorktree<T extends { name: string; path: string }>(
  all: readonly T[],
  name: string,
): T {
  assertWorktreeName(name);
  const found = lookupName(all, name);
  if (found.status === 'found') return found.worktree;
  if (found.status === 'missing') throw missingWorktreeError(name, found.known);
  throw ambiguousWorktreeError(name, found.paths);
}

/** The one worktree called `name`, or a UsageError that says how to go on. */
export async function findWorktree(repo: Repo, name: string): Promise<WorktreeInfo> {
  assertWorktreeName(name);
  return pickWorktree(await worktrees(repo), name);
}

/** The worktree that contains the directory the command runs in. */
export async function currentWorktree(repo: Repo): Promise<WorktreeInfo> {
  const top = await realpathLoose(repo.toplevel);
  const all = await worktrees(repo);
  for (const wt of all) if ((await realpathLoose(wt.path)) === top) return wt;
  throw new UsageError(`${repo.toplevel} is not a worktree git knows; run git worktree list`);
}
