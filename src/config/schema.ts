// zod/mini, zod's functional API over the same core: half of zod to load on every start-up (the
// method-chaining classes are left out), the same messages and JSON schema. A namespace import,
// not `import { z }`: the bundler then keeps only the parts used here and drops zod's ~40 locales
// (360 KB); ../util/zod.js sets the English one.
import * as z from 'zod/mini';
import { described, duration } from '../util/zod.js';
import { planSchema } from '../plan/validate.js';

/** The file name of the config, at the root of the main worktree. */
export const CONFIG_FILE = '.tmc-orch.json';

/** What git accepts as a branch name, near enough to catch typos and wildcards before git does. */
// Control characters are exactly what git refuses, hence the range.
const BRANCH_NAME =
  // eslint-disable-next-line no-control-regex
  /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)(?!.*[/.]$)[^\s~^:?*[\\\x00-\x1f\x7f]+$/;

const glob = z.string().check(z.minLength(1, 'a glob must not be empty'));

/**
 * The values a user may give defaults for in the per-user config (src/config/user.ts): the same
 * validators, without the repository's defaults, so that both files are checked alike.
 */
export const userSettable = {
  branchPrefix: z.string(),
  globs: z.array(glob),
  syncStrategy: z.enum(['rebase', 'merge']),
  fetchTimeout: duration,
  remoteTimeout: duration,
};

/**
 * The single source of truth for the config: types are inferred from it, defaults live in it and
 * schema.json is generated from it (npm run schema; a test keeps the committed copy in sync).
 */
export const configSchema = z
  .strictObject({
    $schema: described(z.optional(z.string()), 'Path or URL of the JSON schema, for editors.'),
    base: described(
      z._default(
        z
          .string()
          .check(
            z.minLength(1, 'must not be empty'),
            z.regex(
              BRANCH_NAME,
              'must be a branch name (no spaces, "..", "~^:?*[\\", leading "-" or trailing ".lock")',
            ),
          ),
        'main',
      ),
      'The base branch every worktree is synced with and PRs are counted against.',
    ),
    remote: described(
      z._default(
        z
          .string()
          .check(
            z.regex(
              /^([A-Za-z0-9][A-Za-z0-9._-]*)?$/,
              'must be a remote name such as origin, or ""',
            ),
          ),
        'origin',
      ),
      'The remote the base branch is fetched from; "" for none.',
    ),
    worktreeRoot: described(
      z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
      'Folder of the linked worktrees, relative to the main worktree. Default: ../<main-dir>-worktrees',
    ),
    branchPrefix: described(
      z._default(userSettable.branchPrefix, ''),
      'Prefix of the branch a new worktree gets, e.g. "feature/tmc2-impl2/".',
    ),
    sharedDir: described(
      z.optional(z.string().check(z.minLength(1, 'must not be empty'))),
      'Folder of the shared daily status log, relative to the main worktree. Default: ../<main-dir>-shared-tools',
    ),
    lines: z.prefault(
      z.strictObject({
        limit: described(
          z._default(
            z.number().check(z.int('must be a whole number'), z.positive('must be positive')),
            700,
          ),
          'A PR passes when its counted lines are below this.',
        ),
        target: described(
          z._default(
            z.number().check(z.int('must be a whole number'), z.positive('must be positive')),
            600,
          ),
          'The size a PR should aim for.',
        ),
        count: described(
          z._default(z.enum(['changed', 'added']), 'changed'),
          '"changed": added + deleted lines; "added": additions only.',
        ),
        generated: z.prefault(
          z.strictObject({
            exclude: described(
              z._default(z.array(glob), []),
              'Globs (picomatch) of files that are generated and not counted.',
            ),
            include: described(
              z._default(z.array(glob), []),
              'Globs of files that are always counted, even if they look generated.',
            ),
            presets: described(
              z._default(z.array(z.enum(['kcp'])), []),
              'Named sets of generated-file rules.',
            ),
          }),
          {},
        ),
      }),
      {},
    ),
    claims: z.prefault(
      z.strictObject({
        ttl: described(
          z._default(duration, '24h'),
          'A claim whose heartbeat is older than this is stale.',
        ),
      }),
      {},
    ),
    worktrees: z.prefault(
      z.strictObject({
        disposable: described(
          z._default(userSettable.globs, ['node_modules/']),
          'Ignored files that worktree remove may delete without --force: picomatch globs read as in .gitignore (no slash: any depth; trailing slash: folders only).',
        ),
        copy: described(
          z._default(userSettable.globs, []),
          'Ignored files of the main worktree that worktree add copies into a new one (never overwriting), besides the patterns in .worktreeinclude: picomatch globs read as in .gitignore.',
        ),
        postCreate: described(
          z._default(
            z.array(
              z.array(z.string()).check(
                z.minLength(1, 'a command needs at least its program, e.g. ["npm", "ci"]'),
                z.refine((argv) => (argv[0] ?? '') !== '', 'the program must not be empty'),
              ),
            ),
            [],
          ),
          'Commands worktree add runs in a new worktree, in order, each an argument array (no shell), e.g. [["npm", "ci"]]. The first failure stops them; the worktree stays.',
        ),
      }),
      {},
    ),
    coordination: described(
      z._default(z.enum(['local', 'remote']), 'local'),
      'Where claims and the status log live: "local" (this clone only) or "remote" (refs on the remote named by "remote", shared by every clone).',
    ),
    remoteCoordination: z.prefault(
      z.strictObject({
        namespace: described(
          z._default(z.enum(['refs/tmc-orch/', 'refs/heads/tmc-orch/']), 'refs/tmc-orch/'),
          'Where the shared refs live on the remote. "refs/heads/tmc-orch/" is the fallback for hosts that refuse refs outside refs/heads/ and refs/tags/.',
        ),
        timeout: described(
          z._default(userSettable.remoteTimeout, '20s'),
          'A listing, fetch or push of the shared refs taking longer is stopped, with an error saying so.',
        ),
        skew: described(
          z._default(duration, '2m'),
          "Clock skew allowed between machines: another machine's claim counts as stale only this long after its heartbeat + TTL.",
        ),
      }),
      {},
    ),
    sync: z.prefault(
      z.strictObject({
        strategy: described(
          z._default(userSettable.syncStrategy, 'rebase'),
          'How sync brings the base into a worktree.',
        ),
        fetchTimeout: described(
          z._default(userSettable.fetchTimeout, '2m'),
          'A fetch of the base (sync, status --fetch) taking longer is stopped, and the local copy of the base is used.',
        ),
      }),
      {},
    ),
    plan: described(
      z.optional(planSchema),
      'The orchestration plan: agents and their worktrees, streams that wait for each other, and quality gates. Write it with tmc-orch plan import <file.md>.',
    ),
  })
  .check(
    z.refine((c) => c.lines.target <= c.lines.limit, {
      message: 'must not be greater than lines.limit',
      path: ['lines', 'target'],
    }),
  );

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** The JSON schema for editors, generated from the zod schema. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7' }) as Record<
    string,
    unknown
  >;
}
