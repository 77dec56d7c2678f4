import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultConcurrency, limiter } from '../util/concurrency.js';
import { gitText, runGit, splitNul } from './run.js';

export interface DirtyCounts {
  staged: number;
  unstaged: number;
  untracked: number;
  /** Paths with unresolved merge conflicts. */
  unmerged: number;
}

/** Parses `git status --porcelain=v2 -z` into counts. */
export function parseStatusV2(stdout: string): DirtyCounts {
  const counts: DirtyCounts = { staged: 0, unstaged: 0, untracked: 0, unmerged: 0 };
  const records = splitNul(stdout);
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? '';
    const kind = record[0];
    if (kind === '?') counts.untracked++;
    else if (kind === 'u') counts.unmerged++;
    else if (kind === '1' || kind === '2') {
      const xy = record.slice(2, 4);
      if (xy[0] !== '.') counts.staged++;
      if (xy[1] !== '.') counts.unstaged++;
      // A rename/copy record is followed by its original path as a separate field.
      if (kind === '2') i++;
    }
  }
  return counts;
}

export function isDirty(counts: DirtyCounts): boolean {
  return counts.staged + counts.unstaged + counts.untracked + counts.unmerged > 0;
}

/**
 * Uncommitted work in a worktree: staged, unstaged, untracked (not ignored) and unmerged.
 * `untracked: 'normal'` counts an untracked folder once, as `git status` shows it, and is cheaper
 * than listing every file in it ('all', the default).
 */
export async function dirtyCounts(
  worktreePath: string,
  options: { untracked?: 'all' | 'normal' } = {},
): Promise<DirtyCounts> {
  // Reading must never take the index lock: an agent committing in that worktree at the same
  // moment would fail with "index.lock exists".
  const { stdout } = await runGit(['--no-optional-locks', ...statusArgs(options)], {
    cwd: worktreePath,
  });
  return parseStatusV2(stdout);
}

function statusArgs(options: { untracked?: 'all' | 'normal' }): string[] {
  return [
    'status',
    '--porcelain=v2',
    '-z',
    `--untracked-files=${options.untracked ?? 'all'}`,
    '--ignore-submodules=none',
  ];
}

/** A worktree whose status to read, with its HEAD as `git worktree list` gave it. */
export interface StatusTarget {
  path: string;
  /** Its commit; null on a branch with no commit yet. */
  head: string | null;
  /** Its branch's short name; null when detached. */
  branch: string | null;
}

/**
 * The counts of the first outputs of a batch whose header names what `git worktree list` said
 * of the worktree at the same place: from the first that does not, none can be trusted.
 */
function matchingAnswers(
  targets: readonly StatusTarget[],
  outputs: readonly string[],
): DirtyCounts[] {
  const counts: DirtyCounts[] = [];
  for (const [i, output] of outputs.entries()) {
    const target = targets[i];
    const [oid, head] = splitNul(output);
    if (
      target === undefined ||
      oid !== `# branch.oid ${target.head ?? '(initial)'}` ||
      head !== `# branch.head ${target.branch ?? '(detached)'}`
    ) {
      break;
    }
    counts.push(parseStatusV2(output));
  }
  return counts;
}

/** The config key that lists a batch's worktrees for `git for-each-repo` (given with -c). */
const BATCH_KEY = 'tmc-orch.status-batch';

/**
 * `dirtyCounts` of many worktrees, one promise each (the same answers, the same errors), in
 * `processes` git processes instead of one per worktree: `git for-each-repo` runs `git status` in
 * each worktree of its share in turn. Starting a process costs Node 2-4 ms of its one thread and
 * git a fraction of one, which makes the dashboard of 40 worktrees a third faster.
 *
 * Each worktree's output starts with its `# branch.oid` header (`--branch`, without the
 * ahead/behind count it would otherwise compute), which tells them apart, and an answer is taken
 * only if its header names the commit and branch `git worktree list` gave for that worktree.
 * for-each-repo stops at the first worktree whose status fails (a folder gone): those after it,
 * and it, are asked alone, so that each gets its own answer or error; so are the rest of a batch
 * from the first answer whose header does not match (a commit made meanwhile, or a path someone
 * listed under our config key in their own git config). So are paths for-each-repo would rewrite
 * (it expands a leading `~` or `%(prefix)`): only absolute ones go in a batch.
 */
export function dirtyCountsOfEach(
  targets: readonly StatusTarget[],
  options: { untracked?: 'all' | 'normal'; processes: number },
): Promise<DirtyCounts>[] {
  // Those asked alone (the rest of a batch that stopped) are asked a few at a time, as before the
  // batches: all at once, a hundred git processes would start together and run out of files.
  const slot = limiter(defaultConcurrency());
  const alone = (p: string) => slot(() => dirtyCounts(p, options));
  // The batches run from the root folder, outside any repository (statusBatch); a root folder
  // that is a repository itself gets none.
  const batchable = existsSync('/.git') ? [] : targets.filter((t) => t.path.startsWith('/'));
  const shares = Math.max(1, Math.min(options.processes, Math.floor(batchable.length / 2)));
  if (batchable.length < 2) return targets.map((t) => alone(t.path));
  const size = Math.ceil(batchable.length / shares);
  const answers = new Map<string, Promise<DirtyCounts>>();
  for (let start = 0; start < batchable.length; start += size) {
    const share = batchable.slice(start, start + size);
    const batch = statusBatch(
      share.map((t) => t.path),
      options,
    ).then((found) => matchingAnswers(share, found));
    share.forEach((t, i) => {
      if (!answers.has(t.path))
        answers.set(
          t.path,
          batch.then((found) => found[i] ?? alone(t.path)),
        );
    });
  }
  const each = targets.map((t) => answers.get(t.path) ?? alone(t.path));
  // Handled now, awaited later: a failure must not count as unhandled meanwhile.
  for (const answer of each) answer.catch(() => undefined);
  return each;
}

/**
 * The outputs of the first worktrees of `paths` whose status succeeded, in order, from one
 * `git for-each-repo`; fewer than `paths` when one failed (or the batch as a whole).
 */
async function statusBatch(
  paths: readonly string[],
  options: { untracked?: 'all' | 'normal' },
): Promise<string[]> {
  const config = paths.flatMap((p) => ['-c', `${BATCH_KEY}=${p}`]);
  try {
    const { stdout } = await runGit(
      [
        '--no-optional-locks',
        ...config,
        'for-each-repo',
        `--config=${BATCH_KEY}`,
        // Each run is `git -C <worktree> <these>`, which finds its repository as plain git does
        // there: its core.worktree, and git's refusal of a folder another user owns
        // (safe.directory), which --git-dir would skip.
        '--',
        '--no-optional-locks',
        ...statusArgs(options),
        '--branch',
        '--no-ahead-behind',
      ],
      // From outside any repository: git 2.39 hands the one it found from its cwd on to the runs
      // (GIT_DIR), and every run would read that worktree's index against its own files.
      // 128: a worktree's status failed (for-each-repo passes its exit code on); the batch ends
      // there, with the answers before it.
      { cwd: '/', okCodes: [128] },
    );
    const found = splitStatusOutputs(stdout);
    return found.length <= paths.length ? found : [];
  } catch {
    // Whatever it was (a git without for-each-repo, a refusal), each worktree is asked alone.
    return [];
  }
}

/**
 * Splits the concatenated `git status --porcelain=v2 -z --branch` outputs of several worktrees at
 * each `# branch.oid` header. A rename record's second field (the original path) is skipped: a
 * path may look like a header, a record never does.
 */
export function splitStatusOutputs(stdout: string): string[] {
  const outputs: string[][] = [];
  const records = splitNul(stdout);
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? '';
    if (record.startsWith('# branch.oid ')) outputs.push([]);
    const current = outputs.at(-1);
    if (current === undefined) return [];
    current.push(record);
    if (record[0] === '2') current.push(records[++i] ?? '');
  }
  return outputs.map((records) => records.map((r) => `${r}\0`).join(''));
}

/**
 * Ignored untracked files of a worktree, relative to its root with "/" separators. With
 * `folders`, a folder whose whole content is ignored is one entry ending in "/" (node_modules/
 * costs one line, not thousands); empty folders are left out, they hold no work. `within` limits
 * the listing to those paths, taken literally.
 */
export async function ignoredPaths(
  worktreePath: string,
  options: { folders: boolean; within?: readonly string[] },
): Promise<string[]> {
  const args = [
    '--literal-pathspecs',
    'ls-files',
    '-z',
    '--others',
    '--ignored',
    '--exclude-standard',
  ];
  if (options.folders) args.push('--directory', '--no-empty-directory');
  if (options.within) args.push('--', ...options.within);
  const { stdout } = await runGit(args, { cwd: worktreePath });
  return splitNul(stdout);
}

/**
 * Untracked files of a worktree that `patterns` (the text of a file in gitignore syntax, read by
 * git itself) match, relative to its root. Tracked files are never listed. git reads the text
 * from a file of our own: the user's file was read once, checked to be a regular file.
 */
export async function untrackedMatching(worktreePath: string, patterns: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tmc-orch-patterns-'));
  try {
    const patternFile = path.join(dir, 'patterns');
    await writeFile(patternFile, patterns);
    const { stdout } = await runGit(
      ['ls-files', '-z', '--others', '--ignored', `--exclude-from=${patternFile}`],
      { cwd: worktreePath },
    );
    return splitNul(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Which of `paths` (relative to the worktree) git ignores, in one `git check-ignore`. */
export async function ignoredAmong(
  worktreePath: string,
  paths: readonly string[],
): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const { stdout } = await runGit(['check-ignore', '-z', '--stdin'], {
    cwd: worktreePath,
    input: `${paths.join('\0')}\0`,
    // 1: none of them is ignored.
    okCodes: [1],
  });
  return new Set(splitNul(stdout));
}

/**
 * Tracked files whose changes `git status` does not show, because their index entry is marked
 * skip-worktree or assume-unchanged (a local config edit kept out of commits, a sparse checkout),
 * and that differ from the index on disk. `git worktree remove` deletes them without a word.
 * A marked file missing on disk (what a sparse checkout leaves out) is no work.
 */
export async function hiddenChanges(worktreePath: string): Promise<string[]> {
  const { stdout } = await runGit(['ls-files', '-v', '-s', '-z'], { cwd: worktreePath });
  const marked: { path: string; mode: string; oid: string }[] = [];
  for (const record of splitNul(stdout)) {
    // "<tag> <mode> <oid> <stage>\t<path>"; tag S is skip-worktree, lowercase is assume-unchanged.
    const match = /^(\S) (\d+) ([0-9a-f]+) \d\t([\s\S]*)$/.exec(record);
    if (!match) continue;
    const [, tag = '', mode = '', oid = '', file = ''] = match;
    if (tag !== 'S' && tag === tag.toUpperCase()) continue;
    if (mode === '160000') continue;
    marked.push({ path: file, mode, oid });
  }
  if (marked.length === 0) return [];
  const changed: string[] = [];
  const regular: typeof marked = [];
  for (const entry of marked) {
    let stats;
    try {
      stats = await lstat(path.join(worktreePath, entry.path));
    } catch {
      continue;
    }
    if (entry.mode === '120000') {
      const same =
        stats.isSymbolicLink() &&
        (await gitText(['hash-object', '--stdin'], {
          cwd: worktreePath,
          input: await readlink(path.join(worktreePath, entry.path)),
        })) === entry.oid;
      if (!same) changed.push(entry.path);
    } else if (stats.isFile() && !/^"|\n/.test(entry.path)) regular.push(entry);
    // Not a file any more, or a name --stdin-paths would read otherwise: work, to be safe.
    else changed.push(entry.path);
  }
  if (regular.length > 0) {
    // Hashed the way `git add` would (with the path's filters: eol, clean), one process for all.
    const { stdout: hashes } = await runGit(['hash-object', '--stdin-paths'], {
      cwd: worktreePath,
      input: regular.map((e) => `${e.path}\n`).join(''),
    });
    const oids = hashes.split('\n');
    regular.forEach((entry, i) => {
      if (oids[i] !== entry.oid) changed.push(entry.path);
    });
  }
  return changed.sort();
}
