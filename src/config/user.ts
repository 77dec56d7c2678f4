import * as z from 'zod/mini';
import '../util/zod-en.js';
import { ConfigError } from '../errors.js';
import { agentProblem } from './identity.js';
import { formatIssues } from './load.js';

/**
 * The per-user config file (userConfigPath): settings of the person or agent, not of the
 * repository. Only "agent" for now.
 */
export const userConfigSchema = z.strictObject({
  $schema: z.optional(z.string()),
  agent: z
    .optional(
      z.string().check(
        z.superRefine((id, ctx) => {
          const problem = agentProblem(id);
          if (problem)
            ctx.addIssue({ code: 'custom', message: `${JSON.stringify(id)} ${problem}` });
        }),
      ),
    )
    .check(z.describe('Your agent id, e.g. agent-3: who claims, releases and writes log entries.')),
});

export type UserConfig = z.output<typeof userConfigSchema>;

/** Parses the text of the per-user config file at `file` (named in errors). */
export function parseUserConfig(text: string, file: string): UserConfig {
  let raw: unknown;
  try {
    // Editors on Windows save a byte order mark; the repository config accepts one too.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(
      `invalid JSON in config ${file}: ${(error as Error).message}; fix the file, e.g. {"agent": "agent-3"}`,
    );
  }
  const result = userConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      `invalid config ${file}: ${formatIssues(result.error.issues)}; fix the file, e.g. {"agent": "agent-3"}`,
    );
  }
  return result.data;
}
