import { UsageError } from '../errors.js';
import { headBranch } from '../git/index.js';
import { isObjectId } from '../git/object-id.js';
import type { Repo } from '../repo.js';
import type { LineFile } from './classify.js';
import { countPr, largestCounted, type LineReport } from './count.js';

/** One line of git's pre-push stdin: `<local-ref> <local-sha> <remote-ref> <remote-sha>`. */
export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

export class PushInputError extends Error {}

/** Parses git's pre-push stdin; blank lines are skipped, anything malformed is an error. */
export function parsePushInput(text: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const fields = line.split(' ');
    const [localRef = '', localSha = '', remoteRef = '', remoteSha = ''] = fields;
    if (
      fields.length !== 4 ||
      localRef === '' ||
      remoteRef === '' ||
      !isObjectId(localSha) ||
      !isObjectId(remoteSha)
    ) {
      throw new PushInputError(
        `unexpected pre-push input line ${JSON.stringify(line)}; expected "<local-ref> <local-sha> <remote-ref> <remote-sha>"`,
      );
    }
    refs.push({ localRef, localSha, remoteRef, remoteSha });
  }
  return refs;
}

/**
 * Why a pushed ref is not gated. `base`: a push to the base branch itself is no PR (it is where
 * PRs land; protect it on the server). `unrelated`: a branch that shares no history with the base
 * (gh-pages and other orphans) is no PR against it either.
 */
export type SkipReason = 'deletion' | 'tag' | 'not-a-branch' | 'base' | 'unrelated';

function isZeroSha(sha: string): boolean {
  return /^0+$/.test(sha);
}

/** Why a pushed ref is not gated, or null when it is: only updates and creations of branches. */
export function skipReason(ref: PushedRef, baseBranch: string): SkipReason | null {
  if (isZeroSha(ref.localSha)) return 'deletion';
  if (ref.remoteRef.startsWith('refs/tags/')) return 'tag';
  if (!ref.remoteRef.startsWith('refs/heads/')) return 'not-a-branch';
  if (ref.remoteRef === `refs/heads/${baseBranch}`) return 'base';
  return null;
}

/** The gate's verdict on one pushed ref: skipped with the reason, or counted. */
export type RefVerdict =
  | { ref: PushedRef; skipped: SkipReason; report: null; largest: [] }
  | { ref: PushedRef; skipped: null; report: LineReport; largest: LineFile[] };

/** Counts every gated ref of a push; the push passes when every report is within the limit. */
export async function gatePush(repo: Repo, stdin: string): Promise<RefVerdict[]> {
  let refs: PushedRef[];
  try {
    refs = parsePushInput(stdin);
  } catch (error) {
    if (error instanceof PushInputError) {
      throw new UsageError(
        `${error.message}; this command is meant to be run by git's pre-push hook`,
      );
    }
    throw error;
  }
  const results: RefVerdict[] = [];
  for (const ref of refs) {
    const skipped = skipReason(ref, repo.config.base);
    if (skipped) {
      results.push({ ref, skipped, report: null, largest: [] });
      continue;
    }
    // A part of a stack is measured against its parent: the branch pushed names it.
    const branch = ref.localRef.startsWith('refs/heads/')
      ? ref.localRef.slice('refs/heads/'.length)
      : ref.localRef === 'HEAD'
        ? await headBranch(repo.gitDir)
        : null;
    const count = await countPr(repo, { rev: ref.localSha, branch });
    if (count.status === 'unrelated') {
      results.push({ ref, skipped: 'unrelated', report: null, largest: [] });
      continue;
    }
    const { report } = count;
    results.push({ ref, skipped: null, report, largest: largestCounted(report) });
  }
  return results;
}
