import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { runGit, splitNul } from './run.js';

/**
 * Which paths: the index's entries, the files that differ from it or from a commit, a worktree's
 * snapshot, the paths a range of commits changes. Sync compares these sets before it lets git
 * write and after, so that nothing changed meanwhile is lost.
 */

/** One entry of the index (`ls-files --stage`). */
export interface IndexEntry {
  mode: string;
  oid: string;
  /** 0 for a merged entry; 1 (base), 2 (ours), 3 (theirs) for a conflict. */
  stage: number;
}

/** Parses `git ls-files --stage -z` (`<mode> <oid> <stage>\t<path>` records), by path. */
function parseIndexEntries(stdout: string): Map<string, IndexEntry[]> {
  const entries = new Map<string, IndexEntry[]>();
  for (const record of splitNul(stdout)) {
    const match = /^(\d+) ([0-9a-f]+) (\d)\t([\s\S]*)$/.exec(record);
    if (!match) continue;
    const [, mode = '', oid = '', stage = '0', file = ''] = match;
    const list = entries.get(file) ?? [];
    list.push({ mode, oid, stage: Number(stage) });
    entries.set(file, list);
  }
  return entries;
}

/** The index entries of `paths` (every stage), by path; one process. */
export async function indexEntries(
  cwd: string,
  paths: readonly string[],
): Promise<Map<string, IndexEntry[]>> {
  if (paths.length === 0) return new Map();
  const wanted = new Set(paths);
  const { stdout } = await runGit(['ls-files', '--stage', '-z'], { cwd });
  return new Map([...parseIndexEntries(stdout)].filter(([file]) => wanted.has(file)));
}

/** Paths whose index entry differs from `commit` (conflicted ones included). */
export async function pathsStagedAgainst(cwd: string, commit: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['diff-index', '--cached', '--name-only', '-z', '--no-renames', commit, '--'],
    { cwd },
  );
  return [...new Set(splitNul(stdout))];
}

/** Paths whose file differs from the index (conflicted ones included): `git diff-files`. */
export async function pathsModified(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(['diff-files', '--name-only', '-z', '--no-renames'], { cwd });
  return [...new Set(splitNul(stdout))];
}

/** Paths with unresolved conflicts in a worktree. */
export async function unmergedFiles(cwd: string): Promise<string[]> {
  const { stdout } = await runGit(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd });
  return [...new Set(splitNul(stdout))];
}

export async function headCommit(cwd: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], {
    cwd,
    okCodes: [1, 128],
  });
  return exitCode === 0 ? stdout.trim() : null;
}

/** Paths of `ls-files --stage -z` output (the snapshot's index). */
export function indexPaths(index: string): Set<string> {
  const paths = new Set<string>();
  for (const record of splitNul(index)) {
    const tab = record.indexOf('\t');
    if (tab !== -1) paths.add(record.slice(tab + 1));
  }
  return paths;
}

/**
 * The folders of `paths` that are a file (or symlink) on disk but not in the index: git deletes
 * such a file without a word when it is ignored, to make room for a folder the commit brings.
 */
export async function filesInPlaceOfFolders(
  cwd: string,
  paths: readonly string[],
  tracked: ReadonlySet<string>,
): Promise<string[]> {
  const folders = new Set<string>();
  for (const p of paths) {
    for (let i = p.indexOf('/'); i !== -1; i = p.indexOf('/', i + 1)) folders.add(p.slice(0, i));
  }
  const found: string[] = [];
  for (const folder of folders) {
    if (tracked.has(folder)) continue;
    const info = await lstat(path.join(cwd, folder)).catch(() => null);
    if (info && !info.isDirectory()) found.push(folder);
  }
  return found.sort();
}

/** Every path some commit of `range` (e.g. `base..HEAD`) changes: what a rebase replays. */
export async function pathsChangedIn(
  cwd: string,
  exclude: string,
  include: string,
): Promise<string[]> {
  const { stdout } = await runGit(
    ['log', '--format=', '--name-only', '-z', '--no-renames', `^${exclude}`, include, '--'],
    { cwd },
  );
  return [
    ...new Set(
      splitNul(stdout)
        .map((p) => p.replace(/^\n+/, ''))
        .filter(Boolean),
    ),
  ];
}

/** Every path whose content differs between two commits (renames as delete + add). */
export async function treeDiffPaths(cwd: string, from: string, to: string): Promise<string[]> {
  const { stdout } = await runGit(
    ['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to],
    { cwd },
  );
  return splitNul(stdout);
}
