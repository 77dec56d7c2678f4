import * as z from 'zod/mini';
import { described } from '../util/zod.js';
import { ConfigError } from '../errors.js';
import { agentProblem } from './identity.js';
import { formatIssues, propertiesOf } from './load.js';
import { configJsonSchema, userSettable } from './schema.js';

/**
 * The per-user config file (userConfigPath): settings of the person or agent, not of the
 * repository. Who is acting ("agent"), colour, and defaults for the repository settings that are
 * a matter of taste or of the machine (a branch prefix, the sync strategy, timeouts, the files a
 * new worktree gets copied). A repository's `.tmc-orch.json` overrides those defaults: its size
 * limit, base, claims TTL, coordination and plan are the team's, and the user file refuses them.
 */
const userConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  agent: described(
    z.optional(
      z.string().check(
        z.superRefine((id, ctx) => {
          const problem = agentProblem(id);
          if (problem)
            ctx.addIssue({ code: 'custom', message: `${JSON.stringify(id)} ${problem}` });
        }),
      ),
    ),
    'Your agent id, e.g. agent-3: who claims, releases and writes log entries.',
  ),
  color: described(
    z.optional(z.enum(['auto', 'always', 'never'])),
    '"auto" (default): colours on a terminal; "always"; "never". NO_COLOR, FORCE_COLOR and --no-color come first.',
  ),
  branchPrefix: z.optional(userSettable.branchPrefix),
  sync: z.optional(
    z.strictObject({
      strategy: z.optional(userSettable.syncStrategy),
      fetchTimeout: z.optional(userSettable.fetchTimeout),
    }),
  ),
  remoteCoordination: z.optional(
    z.strictObject({ timeout: z.optional(userSettable.remoteTimeout) }),
  ),
  worktrees: z.optional(
    z.strictObject({
      copy: z.optional(userSettable.globs),
      disposable: z.optional(userSettable.globs),
    }),
  ),
});

export type UserConfig = z.output<typeof userConfigSchema>;

const EXAMPLE = 'e.g. {"agent": "agent-3", "color": "never", "sync": {"strategy": "merge"}}';

/** Parses the text of the per-user config file at `file` (named in errors). */
export function parseUserConfig(text: string, file: string): UserConfig {
  let raw: unknown;
  try {
    // Editors on Windows save a byte order mark; the repository config accepts one too.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(
      `invalid JSON in config ${file}: ${(error as Error).message}; fix the file, ${EXAMPLE}`,
    );
  }
  const result = userConfigSchema.safeParse(raw);
  if (!result.success) {
    const teamKeys = repositoryOnlyKeys(result.error.issues);
    const advice =
      teamKeys.length > 0
        ? teamKeys.length > 1
          ? `${teamKeys.join(', ')} are repository settings: set them in the repository's .tmc-orch.json, not per user`
          : `${teamKeys.join('')} is a repository setting: set it in the repository's .tmc-orch.json, not per user`
        : `fix the file, ${EXAMPLE}`;
    throw new ConfigError(
      `invalid config ${file}: ${formatIssues(result.error.issues, () => z.toJSONSchema(userConfigSchema))}; ${advice}`,
    );
  }
  return result.data;
}

/** The unknown keys of the user file that are keys of the repository config, as dotted paths. */
function repositoryOnlyKeys(issues: readonly z.core.$ZodIssue[]): string[] {
  const keys: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    // The JSON schema is the cheapest walk of the repository config's keys; only errors pay it.
    let node: unknown = configJsonSchema();
    for (const segment of issue.path) node = propertiesOf(node)?.[String(segment)];
    const known = propertiesOf(node);
    for (const key of issue.keys) {
      if (known && Object.hasOwn(known, key)) keys.push([...issue.path, key].join('.'));
    }
  }
  return keys;
}
