/**
 * A stack of PRs, recorded in git itself: `branch.<part>.tmcOrchParent` names the branch a part's
 * PR is against, `branch.<part>.tmcOrchForkPoint` the commit of that parent the part's own
 * commits start from (what `rebase --onto <parent> <fork point>` replays from once the parent
 * moves). Both live in the repository's config, which every worktree reads, and `git branch -d`
 * drops them with the branch. A branch without a parent is a PR against the base.
 */
import {
  localConfigMayName,
  localConfigMatching,
  refCommits,
  setLocalConfig,
  unsetLocalConfig,
  type ConfigEntry,
} from '../git/index.js';
import { isObjectId } from '../git/object-id.js';

const PARENT_KEY = 'tmcOrchParent';
const FORK_POINT_KEY = 'tmcOrchForkPoint';

/** One stacked branch: the branch its PR is against, and where its own commits start. */
export interface StackEntry {
  branch: string;
  parent: string;
  /** null when not recorded (set by hand, or by an older tmc-orch). */
  forkPoint: string | null;
}

const KEY = /^branch\.(.+)\.(tmcorchparent|tmcorchforkpoint)$/;

/** The stack entries in config entries (as `localConfigMatching` returns them), by branch. */
export function parseStack(entries: readonly ConfigEntry[]): Map<string, StackEntry> {
  const parents = new Map<string, string>();
  const forks = new Map<string, string>();
  for (const { key, value } of entries) {
    const match = KEY.exec(key);
    if (!match?.[1]) continue;
    // The last value wins, as with `git config --get`.
    if (match[2] === 'tmcorchparent') parents.set(match[1], value);
    else forks.set(match[1], value);
  }
  const stack = new Map<string, StackEntry>();
  for (const [branch, parent] of parents) {
    if (parent === '' || parent === branch) continue;
    const fork = forks.get(branch) ?? null;
    stack.set(branch, { branch, parent, forkPoint: fork && isObjectId(fork) ? fork : null });
  }
  return stack;
}

/** Every stacked branch of the repository, in one git process. */
export async function readStack(cwd: string): Promise<Map<string, StackEntry>> {
  return parseStack(await localConfigMatching(cwd, '^branch\\..*\\.tmcorch(parent|forkpoint)$'));
}

/**
 * readStack, without a git process when the repository's config records no stack at all (status,
 * every frame of status --watch).
 */
export async function repoStack(repo: {
  toplevel: string;
  commonDir: string;
}): Promise<Map<string, StackEntry>> {
  if (!(await localConfigMayName(repo.commonDir, PARENT_KEY))) return new Map();
  return readStack(repo.toplevel);
}

/** The stack entry of one branch, or null when its PR is against the base. */
export async function stackEntryOf(cwd: string, branch: string): Promise<StackEntry | null> {
  return (await readStack(cwd)).get(branch) ?? null;
}

/** The recorded parent of a branch: its branch there (name, full ref, commit), or gone. */
export type StackParent =
  | { status: 'present'; entry: StackEntry; ref: string; commit: string }
  | { status: 'gone'; entry: StackEntry };

/**
 * The parent a branch's PR is against, when one is recorded: present (its full ref and commit)
 * or gone (its branch deleted since). null for a PR against the base. No git process when the
 * repository's config records no stack at all (lines and the pre-push hook).
 */
export async function stackParent(
  repo: { toplevel: string; commonDir: string },
  branch: string,
): Promise<StackParent | null> {
  if (!(await localConfigMayName(repo.commonDir, PARENT_KEY))) return null;
  const cwd = repo.toplevel;
  const entry = await stackEntryOf(cwd, branch);
  if (!entry) return null;
  const ref = `refs/heads/${entry.parent}`;
  const commit = (await refCommits(cwd, [ref])).get(ref);
  return commit === undefined
    ? { status: 'gone', entry }
    : { status: 'present', entry, ref, commit };
}

/** Records `branch` as stacked on `parent` from `forkPoint`; null parent: a PR against the base. */
export async function writeStackEntry(
  cwd: string,
  branch: string,
  record: { parent: string | null; forkPoint: string | null },
): Promise<void> {
  const key = (name: string) => `branch.${branch}.${name}`;
  if (record.parent === null) {
    await unsetLocalConfig(cwd, key(PARENT_KEY));
    await unsetLocalConfig(cwd, key(FORK_POINT_KEY));
    return;
  }
  // The fork point first: a parent without it is still read (as "fork point unknown").
  if (record.forkPoint !== null) await setLocalConfig(cwd, key(FORK_POINT_KEY), record.forkPoint);
  else await unsetLocalConfig(cwd, key(FORK_POINT_KEY));
  await setLocalConfig(cwd, key(PARENT_KEY), record.parent);
}
