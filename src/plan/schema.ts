// zod/mini and a namespace import, as in src/config/schema.ts.
import * as z from 'zod/mini';
import { described, duration } from '../util/zod.js';
import { worktreeNameProblem } from '../worktrees/names.js';

/**
 * The orchestration plan: which agent works in which worktree, which streams of work wait for
 * which, and the commands (gates) a worktree must pass. It becomes the config key `plan`, so the
 * schema carries the descriptions and defaults that schema.json shows to editors. The shape is
 * checked here; what the shape cannot say (references, cycles, duplicates) is checked by
 * planProblems, and validate.ts's planSchema (the config's) reports both as zod issues.
 */

/** The worktree name that means the main worktree, whatever its folder is called. */
export const MAIN_WORKTREE = 'main';

/** Most urgent first: the order of `tmc-orch plan`. */
export const PRIORITIES = ['critical', 'high', 'medium', 'low', 'ongoing'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = 'medium';

// The same rule as an agent id given to --agent or TMC_AGENT (agentProblem in
// src/commands/context.ts), so a planned id can match a claim's agent.
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ID_MESSAGE =
  'must start with a letter or digit and contain only letters, digits, ".", "_" and "-"';

const agentId = z
  .string()
  .check(
    z.maxLength(64, 'must be at most 64 characters'),
    z.regex(AGENT_ID, 'must be an agent id as given to --agent, such as agent-1'),
  );

const worktreeName = z.string().check(
  z.superRefine((name, ctx) => {
    const problem = worktreeNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `the worktree name ${problem}` });
  }),
);

const streamId = z
  .string()
  .check(z.maxLength(64, 'must be at most 64 characters'), z.regex(ID, ID_MESSAGE));

const agentSchema = z.strictObject({
  id: described(agentId, 'The agent id, as the agent passes it to --agent or TMC_AGENT.'),
  worktree: described(
    worktreeName,
    `The worktree the agent works in (its folder name); "${MAIN_WORKTREE}" is the main worktree.`,
  ),
  focus: described(z._default(z.string(), ''), 'What the agent works on.'),
  priority: described(
    z._default(z.enum(PRIORITIES), DEFAULT_PRIORITY),
    'How urgent the work is; `tmc-orch plan` lists the most urgent first.',
  ),
});

const streamSchema = z.strictObject({
  id: described(streamId, 'The stream id, e.g. stream-1.'),
  title: described(z._default(z.string(), ''), 'What the stream delivers.'),
  agents: described(
    z._default(z.array(agentId), []),
    'Ids of the agents whose work is in the stream.',
  ),
  worktrees: described(
    z._default(z.array(worktreeName), []),
    'Worktrees in the stream besides those of its agents.',
  ),
  dependsOn: described(
    z._default(z.array(streamId), []),
    'Ids of the streams that must be merged into the base before this one starts.',
  ),
});

const gateSchema = z.strictObject({
  name: described(z.string().check(z.regex(ID, ID_MESSAGE)), 'The gate name, e.g. lint.'),
  run: described(
    z.array(z.string()),
    'The command and its arguments, run in the worktree without a shell.',
  ),
  prePush: described(
    z._default(z.boolean(), false),
    'Run the gate in the pre-push hook; a failure refuses the push.',
  ),
  timeout: described(
    z.optional(duration),
    'Stop the command after this long and count the gate as failed.',
  ),
});

/** The plan's shape alone, without the cross-references planProblems checks. */
export const planShapeSchema = z.strictObject({
  agents: described(
    z._default(z.array(agentSchema), []),
    'Who works where, on what, how urgently.',
  ),
  streams: described(
    z._default(z.array(streamSchema), []),
    'Groups of work, each waiting for the streams it depends on.',
  ),
  gates: described(z._default(z.array(gateSchema), []), 'Commands a worktree must pass.'),
});

export type Plan = z.output<typeof planShapeSchema>;
export type PlanInput = z.input<typeof planShapeSchema>;
export type PlanAgent = Plan['agents'][number];
export type PlanStream = Plan['streams'][number];
export type PlanGate = Plan['gates'][number];
