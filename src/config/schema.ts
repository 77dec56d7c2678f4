// A namespace import, not `import { z }`: the bundler then keeps only the parts of zod used here
// and drops its ~40 locales (360 KB), which every run would otherwise parse at start-up (~17 ms).
import * as z from 'zod';
import { planSchema } from '../plan/schema.js';
import { DURATION_SYNTAX, NOT_A_DURATION, readDuration } from '../util/duration.js';

/** The file name of the config, at the root of the main worktree. */
export const CONFIG_FILE = '.tmc-orch.json';

/** What git accepts as a branch name, near enough to catch typos and wildcards before git does. */
// Control characters are exactly what git refuses, hence the range.
const BRANCH_NAME =
  // eslint-disable-next-line no-control-regex
  /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*[/.]$)[^\s~^:?*[\\\x00-\x1f\x7f]+$/;

const glob = z.string().min(1, 'a glob must not be empty');

/**
 * A duration as --ttl takes it (the same parser, the same messages). The pattern is there for
 * editors (schema.json); the range is checked by the parser.
 */
const duration = z
  .string()
  .regex(DURATION_SYNTAX, {
    error: (issue) => `${JSON.stringify(issue.input)} ${NOT_A_DURATION}`,
    abort: true,
  })
  .superRefine((text, ctx) => {
    const result = readDuration(text);
    if (!result.ok)
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} ${result.problem}` });
  });

/**
 * The values a user may give defaults for in the per-user config (src/config/user.ts): the same
 * validators, without the repository's defaults, so that both files are checked alike.
 */
export const userSettable = {
  branchPrefix: z.string(),
  globs: z.array(glob),
  syncStrategy: z.enum(['rebase', 'merge']),
  fetchTimeout: z.string().regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration such as 30s or 2m'),
  remoteTimeout: duration,
};

/**
 * The single source of truth for the config: types are inferred from it, defaults live in it and
 * schema.json is generated from it (npm run schema; a test keeps the committed copy in sync).
 */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON schema, for editors.'),
    base: z
      .string()
      .min(1, 'must not be empty')
      .regex(
        BRANCH_NAME,
        'must be a branch name (no spaces, "..", "~^:?*[\\", leading "-" or trailing ".lock")',
      )
      .default('main')
      .describe('The base branch every worktree is synced with and PRs are counted against.'),
    remote: z
      .string()
      .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'must be a remote name such as origin, or ""')
      .default('origin')
      .describe('The remote the base branch is fetched from; "" for none.'),
    worktreeRoot: z
      .string()
      .min(1, 'must not be empty')
      .optional()
      .describe(
        'Folder of the linked worktrees, relative to the main worktree. Default: ../<main-dir>-worktrees',
      ),
    branchPrefix: userSettable.branchPrefix
      .default('')
      .describe('Prefix of the branch a new worktree gets, e.g. "feature/tmc2-impl2/".'),
    sharedDir: z
      .string()
      .min(1, 'must not be empty')
      .optional()
      .describe(
        'Folder of the shared daily status log, relative to the main worktree. Default: ../<main-dir>-shared-tools',
      ),
    lines: z
      .strictObject({
        limit: z
          .number()
          .int('must be a whole number')
          .positive('must be positive')
          .default(700)
          .describe('A PR passes when its counted lines are below this.'),
        target: z
          .number()
          .int('must be a whole number')
          .positive('must be positive')
          .default(600)
          .describe('The size a PR should aim for.'),
        count: z
          .enum(['changed', 'added'])
          .default('changed')
          .describe('"changed": added + deleted lines; "added": additions only.'),
        generated: z
          .strictObject({
            exclude: z
              .array(glob)
              .default([])
              .describe('Globs (picomatch) of files that are generated and not counted.'),
            include: z
              .array(glob)
              .default([])
              .describe('Globs of files that are always counted, even if they look generated.'),
            presets: z
              .array(z.enum(['kcp']))
              .default([])
              .describe('Named sets of generated-file rules.'),
          })
          .prefault({}),
      })
      .prefault({}),
    claims: z
      .strictObject({
        ttl: duration
          .default('24h')
          .describe('A claim whose heartbeat is older than this is stale.'),
      })
      .prefault({}),
    worktrees: z
      .strictObject({
        disposable: userSettable.globs
          .default(['node_modules/'])
          .describe(
            'Ignored files that worktree remove may delete without --force: picomatch globs read as in .gitignore (no slash: any depth; trailing slash: folders only).',
          ),
        copy: userSettable.globs
          .default([])
          .describe(
            'Ignored files of the main worktree that worktree add copies into a new one (never overwriting), besides the patterns in .worktreeinclude: picomatch globs read as in .gitignore.',
          ),
        postCreate: z
          .array(
            z
              .array(z.string())
              .min(1, 'a command needs at least its program, e.g. ["npm", "ci"]')
              .refine((argv) => (argv[0] ?? '') !== '', 'the program must not be empty'),
          )
          .default([])
          .describe(
            'Commands worktree add runs in a new worktree, in order, each an argument array (no shell), e.g. [["npm", "ci"]]. The first failure stops them; the worktree stays.',
          ),
      })
      .prefault({}),
    coordination: z
      .enum(['local', 'remote'])
      .default('local')
      .describe(
        'Where claims and the status log live: "local" (this clone only) or "remote" (refs on the remote named by "remote", shared by every clone).',
      ),
    remoteCoordination: z
      .strictObject({
        namespace: z
          .enum(['refs/tmc-orch/', 'refs/heads/tmc-orch/'])
          .default('refs/tmc-orch/')
          .describe(
            'Where the shared refs live on the remote. "refs/heads/tmc-orch/" is the fallback for hosts that refuse refs outside refs/heads/ and refs/tags/.',
          ),
        timeout: userSettable.remoteTimeout
          .default('20s')
          .describe(
            'A listing, fetch or push of the shared refs taking longer is stopped, with an error saying so.',
          ),
        skew: duration
          .default('2m')
          .describe(
            "Clock skew allowed between machines: another machine's claim counts as stale only this long after its heartbeat + TTL.",
          ),
      })
      .prefault({}),
    sync: z
      .strictObject({
        strategy: userSettable.syncStrategy
          .default('rebase')
          .describe('How sync brings the base into a worktree.'),
        fetchTimeout: userSettable.fetchTimeout
          .default('2m')
          .describe(
            'A fetch of the base (sync, status --fetch) taking longer is stopped, and the local copy of the base is used.',
          ),
      })
      .prefault({}),
    plan: planSchema
      .optional()
      .describe(
        'The orchestration plan: agents and their worktrees, streams that wait for each other, and quality gates. Write it with tmc-orch plan import <file.md>.',
      ),
  })
  .refine((c) => c.lines.target <= c.lines.limit, {
    message: 'must not be greater than lines.limit',
    path: ['lines', 'target'],
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** The JSON schema for editors, generated from the zod schema. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7' }) as Record<
    string,
    unknown
  >;
}
