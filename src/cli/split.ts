import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Lazy } from './action.js';
import { parsePositiveInt } from './parse.js';

/** Splitting an oversized branch into a stack of PRs under the limit (issue 11). */
export function registerSplit(program: Command, lazy: Lazy): void {
  program
    .command('split')
    .description(
      'plan a stack of PRs under the limit from an oversized branch (changes nothing); --apply makes the branches',
    )
    .argument('[rev]', 'the branch or commit to split (default HEAD)')
    .option('--base <ref>', 'split from the merge base with this (default: as lines measures)')
    .option('--limit <n>', 'each part must stay below this (default lines.limit, 700)')
    .option('--target <n>', 'parts are filled up to this (default lines.target, 600)')
    .option('--apply', 'create one branch per part, each on the one before, and record the stack')
    .option(
      '--name <prefix>',
      'with --apply: name the parts <prefix>-1, <prefix>-2, … (default <branch>-part-<k>)',
    )
    .option('--worktrees', 'with --apply: add a worktree per part, claimed by the acting agent')
    .action(
      lazy(
        () => import('../commands/split.js'),
        (
          rev: string | undefined,
          flags: {
            base?: string;
            limit?: string;
            target?: string;
            apply?: boolean;
            name?: string;
            worktrees?: boolean;
          },
        ) => {
          if (!flags.apply && (flags.name !== undefined || flags.worktrees)) {
            throw new UsageError(
              `${flags.name !== undefined ? '--name' : '--worktrees'} only applies to the branches --apply makes; add --apply, or drop it to see the plan`,
            );
          }
          return {
            ...(rev !== undefined ? { rev } : {}),
            ...(flags.base !== undefined ? { base: flags.base } : {}),
            ...(flags.limit !== undefined
              ? { limit: parsePositiveInt(flags.limit, '--limit', 700) }
              : {}),
            ...(flags.target !== undefined
              ? { target: parsePositiveInt(flags.target, '--target', 600) }
              : {}),
            apply: Boolean(flags.apply),
            ...(flags.name !== undefined ? { name: flags.name } : {}),
            worktrees: Boolean(flags.worktrees),
          };
        },
      ),
    );
}
