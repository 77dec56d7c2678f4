import { runGit } from './run.js';

/**
 * What git knows about whether a branch's work reached the base: the questions a merged check
 * asks, one small function each. Squash and rebase merges leave no ancestry behind, so two of
 * them compare content (patch-id, merge result) instead.
 */

export interface ReflogEntry {
  commit: string;
  /** The reflog message, e.g. "commit: fix the reconciler", "branch: Created from main". */
  subject: string;
}

/** The reflog of a full ref name, newest first; empty when git keeps none for it. */
export async function reflog(cwd: string, ref: string): Promise<ReflogEntry[]> {
  const { stdout, exitCode } = await runGit(
    ['reflog', 'show', '--format=%H%x00%gs', '--end-of-options', ref, '--'],
    { cwd, okCodes: [128] },
  );
  if (exitCode !== 0) return [];
  return stdout
    .split('\n')
    .filter((line) => line.includes('\0'))
    .map((line) => {
      const at = line.indexOf('\0');
      return { commit: line.slice(0, at), subject: line.slice(at + 1) };
    });
}

/**
 * Whether `commit` (an ancestor of `tip`) is on the first-parent line of `tip`: it was the tip
 * itself at some point, rather than reached through a merge's second parent.
 */
export async function onFirstParentLine(
  cwd: string,
  commit: string,
  tip: string,
): Promise<boolean> {
  if (commit === tip) return true;
  const { stdout } = await runGit(
    ['rev-list', '--first-parent', '--parents', '--end-of-options', tip, `^${commit}`, '--'],
    { cwd },
  );
  const lines = stdout.split('\n').filter(Boolean);
  const oldest = (lines[lines.length - 1] ?? '').split(' ');
  return oldest[1] === commit;
}

/** The best common ancestor of two commits, or null when they share no history. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(['merge-base', '--end-of-options', a, b], {
    cwd,
    okCodes: [1],
  });
  return exitCode === 0 ? stdout.trim() : null;
}

/**
 * Whether `upstream` has a commit whose change equals `commit`'s (same patch-id), among its
 * commits since their merge base: how a squash merge of `commit` shows.
 */
export async function hasEquivalentPatch(
  cwd: string,
  upstream: string,
  commit: string,
): Promise<boolean> {
  const { stdout } = await runGit(['cherry', '--end-of-options', upstream, commit], { cwd });
  return /^- /m.test(stdout);
}
