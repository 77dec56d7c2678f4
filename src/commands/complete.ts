import type { Command } from 'commander';
import { branchNames } from '../git/index.js';
import { completionRequest, matching, type CompletionRequest } from '../shell/completion.js';
import { listClaims } from '../claims/store.js';
import { worktrees } from '../worktrees/lookup.js';
import { worktreeNameProblem } from '../worktrees/names.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

export interface CompleteInput {
  /** The words after the program name; the last is the word under the cursor. */
  words: string[];
  /** The program, whose definitions are what completes. */
  program: Command;
}

/** The hidden command the completion scripts call: candidates, one per line. */
export async function run(input: CompleteInput, ctx: CommandContext): Promise<CommandResult> {
  const { request, current } = completionRequest(input.program, input.words);
  // A completion must never print an error into the user's command line: no repository, no names.
  const candidates = await candidatesFor(request, ctx).catch(() => []);
  const words = matching(candidates, current);
  return {
    exitCode: 0,
    data: { candidates: words },
    render(out) {
      for (const word of words) out.line(word);
    },
  };
}

async function candidatesFor(request: CompletionRequest, ctx: CommandContext): Promise<string[]> {
  switch (request.kind) {
    case 'words':
      return request.words;
    case 'none':
      return [];
    case 'worktrees':
      // A folder plain git made may have any name; tmc-orch takes only valid ones.
      return (await worktrees(await ctx.repo()))
        .map((w) => w.name)
        .filter((name) => worktreeNameProblem(name) === null);
    case 'branches':
      return branchNames((await ctx.repo()).toplevel);
    case 'agents': {
      // A completion answers at once: under coordination "remote", the claims as this clone last
      // saw them, never a listing that could wait for the remote's timeout at every TAB.
      const claims = await listClaims({ ...(await ctx.repo()), offline: true }, ctx.now());
      return [...claims.map((c) => c.agent), ...(ctx.identity.explicit ? [ctx.identity.id] : [])];
    }
  }
}
