import { lockReason } from '../claims/mirror.js';
import { describeChanges, listWithStatus } from '../worktrees/worktrees.js';
import type { CommandContext, CommandResult } from '../cli/command.js';
import { relativePath, shortId } from '../ui/format.js';

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult> {
  const repo = await ctx.repo();
  const entries = await listWithStatus(repo, ctx.now);
  return {
    exitCode: 0,
    data: { worktrees: entries.map(({ changes: _changes, ...rest }) => rest) },
    async render(out) {
      const { color } = out;
      await out.table(entries, [
        { header: 'NAME', value: (w) => (w.main ? `${w.name} ${color.dim('(main)')}` : w.name) },
        { header: 'BRANCH', value: (w) => w.branch ?? color.yellow('(detached)') },
        { header: 'HEAD', value: (w) => shortId(w.head) },
        {
          header: 'STATE',
          value: (w) =>
            w.prunable !== null
              ? color.red('missing (prunable)')
              : w.dirty === null
                ? color.red('unreadable (folder gone?)')
                : w.changes && w.dirty
                  ? color.yellow(describeChanges(w.changes))
                  : color.green('clean'),
        },
        {
          header: 'CLAIM',
          value: (w) =>
            w.claim === null
              ? ''
              : w.claim.stale
                ? `${w.claim.agent} ${color.red('(stale)')}`
                : w.claim.agent,
        },
        {
          header: 'LOCK',
          // The claim's own mirror lock says nothing new.
          value: (w) =>
            w.locked === null || (w.claim && w.locked === lockReason(w.claim))
              ? ''
              : w.locked || 'locked',
          shrink: true,
        },
        { header: 'PATH', value: (w) => relativePath(repo.cwd, w.path) },
      ]);
    },
  };
}
