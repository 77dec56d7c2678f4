/**
 * pre-commit reads git's pre-push stdin itself and hands its hooks one pushed ref, the first
 * with commits the remote lacks, in PRE_COMMIT_* variables (pre-commit 2.x to 4.x):
 * PRE_COMMIT_LOCAL_BRANCH and PRE_COMMIT_REMOTE_BRANCH (full ref names), PRE_COMMIT_TO_REF (the
 * pushed commit; unset when the push carries a root commit, where it sets neither FROM nor TO).
 * Other refs of the same push never reach a hook: README says so.
 */
export type PreCommitPush =
  | { status: 'push'; localRef: string; remoteRef: string; localSha: string | null }
  | { status: 'missing'; names: string[] };

export function preCommitPush(env: NodeJS.ProcessEnv): PreCommitPush {
  const localRef = env.PRE_COMMIT_LOCAL_BRANCH ?? '';
  const remoteRef = env.PRE_COMMIT_REMOTE_BRANCH ?? '';
  const names = [
    ...(localRef ? [] : ['PRE_COMMIT_LOCAL_BRANCH']),
    ...(remoteRef ? [] : ['PRE_COMMIT_REMOTE_BRANCH']),
  ];
  if (names.length > 0) return { status: 'missing', names };
  const to = env.PRE_COMMIT_TO_REF ?? '';
  return { status: 'push', localRef, remoteRef, localSha: to === '' ? null : to };
}
