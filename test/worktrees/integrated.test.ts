import { describe, expect, it } from 'vitest';
import { decideIntegration, integration } from '../../src/worktrees/integrated.js';
import { commitFiles, git, makeRepo } from '../helpers/repo.js';

/** A repo whose branch `topic` has two commits beyond the first commit of main. */
async function withTopic() {
  const repo = await makeRepo();
  const { main } = repo;
  await git(main, 'checkout', '-q', '-b', 'topic');
  await commitFiles(main, { 'a.txt': 'a\n' }, 'topic a');
  const topic = await commitFiles(main, { 'b.txt': 'b\n' }, 'topic b');
  await git(main, 'checkout', '-q', 'main');
  // The base moves on meanwhile, so no answer comes from the topic being a plain ancestor.
  await commitFiles(main, { 'other.txt': 'other\n' }, 'base moves');
  return { main, topic };
}

const head = (cwd: string, rev = 'HEAD') => git(cwd, 'rev-parse', rev);

describe('integrated branches', () => {
  it('a branch merged with a merge commit is integrated (merged)', async () => {
    const { main, topic } = await withTopic();
    await git(main, 'merge', '-q', '--no-ff', '-m', 'merge topic', 'topic');
    expect(await integration(main, topic, await head(main))).toEqual({
      status: 'integrated',
      how: 'merged',
    });
  });

  it('a fast-forwarded branch is integrated (merged)', async () => {
    const { main } = await makeRepo();
    await git(main, 'checkout', '-q', '-b', 'topic');
    const topic = await commitFiles(main, { 'a.txt': 'a\n' }, 'topic a');
    await git(main, 'checkout', '-q', 'main');
    await git(main, 'merge', '-q', '--ff-only', 'topic');
    expect(await integration(main, topic, await head(main))).toMatchObject({ how: 'merged' });
  });

  it('a branch rebased onto the base by the host is integrated (rebased, by patch-id)', async () => {
    const { main, topic } = await withTopic();
    await git(main, 'cherry-pick', 'main..topic');
    expect(await integration(main, topic, await head(main))).toEqual({
      status: 'integrated',
      how: 'rebased',
    });
  });

  it('a squash-merged branch is integrated (squashed)', async () => {
    const { main, topic } = await withTopic();
    await git(main, 'merge', '-q', '--squash', 'topic');
    await git(main, 'commit', '-q', '-m', 'squash topic');
    // The base moves on after the squash too.
    await commitFiles(main, { 'later.txt': 'later\n' }, 'later');
    expect(await integration(main, topic, await head(main))).toEqual({
      status: 'integrated',
      how: 'squashed',
    });
  });

  it('a branch with one more commit after its squash is not integrated', async () => {
    const { main } = await withTopic();
    await git(main, 'merge', '-q', '--squash', 'topic');
    await git(main, 'commit', '-q', '-m', 'squash topic');
    await git(main, 'checkout', '-q', 'topic');
    const extra = await commitFiles(main, { 'c.txt': 'c\n' }, 'after the squash');
    await git(main, 'checkout', '-q', 'main');
    expect(await integration(main, extra, await head(main))).toMatchObject({
      status: 'not-integrated',
    });
  });

  it('an open branch is not integrated', async () => {
    const { main, topic } = await withTopic();
    expect(await integration(main, topic, await head(main))).toEqual({
      status: 'not-integrated',
      unpicked: 2,
    });
  });

  it('the decision: a partly cherry-picked branch whose merge changes the base is not integrated', () => {
    expect(
      decideIntegration({
        ancestor: false,
        cherry: { picked: 1, unpicked: 1 },
        mergeIsNoop: false,
      }),
    ).toEqual({ status: 'not-integrated', unpicked: 1 });
    expect(
      decideIntegration({ ancestor: false, cherry: { picked: 0, unpicked: 0 }, mergeIsNoop: null }),
    ).toEqual({ status: 'not-integrated', unpicked: 0 });
  });
});
