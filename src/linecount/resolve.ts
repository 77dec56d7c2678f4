import { UsageError } from '../errors.js';
import {
  ambiguousNameError,
  headBranch,
  refShortNames,
  resolveCommit,
  resolveRange,
  type RangeResolution,
} from '../git/index.js';
import { expectedBase, resolveBase, type Repo } from '../repo.js';
import { stackParent } from '../stack/record.js';
import { didYouMean } from '../util/suggest.js';

/**
 * What a PR count measures, resolved before anything is read: the revision (one, never a range),
 * the base it is measured against (`--base`, the branch's stack parent, or the configured base)
 * and the merge base of the two, in one rev-parse.
 */

/**
 * Why `rev` is not one revision, or null when it may be one (git decides whether it names a
 * commit). Ranges are refused rather than read: `lines HEAD..main` would count something other
 * than what it says. `next` is the command to suggest, when there is an obvious one.
 */
export function revisionProblem(rev: string): { problem: string; next: string | null } | null {
  if (rev === '' || rev.startsWith('-') || /[\0\n]/.test(rev)) {
    return { problem: 'is not a revision', next: null };
  }
  const dots = /^(.*?)\.{2,3}(.*)$/.exec(rev);
  if (dots) {
    const from = dots[1] || 'HEAD';
    const to = dots[2] || 'HEAD';
    return { problem: 'is a range, not one revision', next: `${to} --base ${from}` };
  }
  if (rev.startsWith('^') || /\^(?:@|!|-\d*)$/.test(rev)) {
    return { problem: 'is a range, not one revision', next: null };
  }
  return null;
}

export function assertRevision(rev: string, flag: string, command: string): void {
  const found = revisionProblem(rev);
  if (!found) return;
  const next = found.next
    ? `count one branch from its merge base with another: tmc-orch ${command} ${found.next}`
    : flag === '--base'
      ? 'pass one branch, tag or commit, e.g. --base main'
      : `pass one branch, tag or commit, and the base with --base: tmc-orch ${command} <rev> --base <ref>`;
  throw new UsageError(`${flag} ${JSON.stringify(rev)} ${found.problem}; ${next}`);
}

/**
 * The base as named to people, what git is given for it (a full ref name or an id), and the
 * stack parent it is, if it is one. `guess`: the configured base as it usually is, tried before
 * resolveBase is asked (see resolveAll).
 */
interface BaseSpec {
  name: string;
  rev: string;
  parent: string | null;
  /** The stack parent recorded for the branch whose branch is gone (measured against the base). */
  goneParent: string | null;
  guess: boolean;
}

/** The branch whose stack parent applies to `rev`: see CountOptions.branch. */
async function branchOf(repo: Repo, rev: string, given: string | null | undefined) {
  if (given !== undefined) return given;
  if (rev === 'HEAD') return headBranch(repo.gitDir);
  return rev.startsWith('refs/heads/') ? rev.slice('refs/heads/'.length) : rev;
}

/**
 * What a PR of `rev` is measured against: `--base` when given; else the branch's stack parent
 * (a part of `tmc-orch split --apply`, whose PR is against the part before it) when that branch
 * exists; else the base. No git process unless the repository records a stack.
 */
export async function baseSpec(
  repo: Repo,
  given: string | undefined,
  rev: string,
  branch: string | null | undefined,
): Promise<BaseSpec> {
  if (given !== undefined) {
    return { name: given, rev: given, parent: null, goneParent: null, guess: false };
  }
  const b = await branchOf(repo, rev, branch);
  const parent = b === null ? null : await stackParent(repo, b);
  if (parent?.status === 'present') {
    const name = parent.entry.parent;
    return { name, rev: parent.ref, parent: name, goneParent: null, guess: false };
  }
  const goneParent = parent?.entry.parent ?? null;
  const { base, ref } = expectedBase(repo);
  return { name: base, rev: ref, parent: null, goneParent, guess: true };
}

/**
 * The base and head commits and their merge base, in one rev-parse. The configured base is tried
 * as it usually is (`<remote>/<base>`); only when that fails is resolveBase asked for the ref
 * that exists, and the range resolved again. A short name that stands for two refs (a branch
 * `origin/main` beside the remote-tracking `origin/main`, a tag and a branch `feat`) is refused:
 * git would pick one silently, and count against the wrong base.
 */
export async function resolveAll(
  repo: Repo,
  spec: BaseSpec,
  rev: string,
): Promise<{ base: BaseSpec; range: { base: string; head: string; mergeBase: string | null } }> {
  const cwd = repo.toplevel;
  let base = spec;
  let range: RangeResolution = await resolveRange(cwd, base.rev, rev);
  if (range.status !== 'resolved' && base.guess) {
    const found = await resolveBase(repo);
    const { goneParent } = base;
    base = {
      name: found.base,
      rev: found.baseCommit ?? found.ref,
      parent: null,
      goneParent,
      guess: false,
    };
    range = await resolveRange(cwd, base.rev, rev);
  }
  if (range.status === 'resolved') return { base, range };
  if (range.status === 'ambiguous') {
    throw await ambiguousNameError(cwd, range.name === rev ? 'revision' : '--base', range.name);
  }
  const known = await refShortNames(cwd);
  if (!(await resolveCommit(cwd, base.rev))) {
    throw new UsageError(
      `base ${JSON.stringify(base.name)} names no commit; ${didYouMean(base.name, known)}pass --base <ref>, or fetch it (git fetch)`,
    );
  }
  throw new UsageError(
    `revision ${JSON.stringify(rev)} names no commit; ${didYouMean(rev, known)}pass a branch, tag or commit such as HEAD`,
  );
}
