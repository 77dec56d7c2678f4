// What every module that builds a zod schema shares (they import zod/mini itself as a namespace:
// the bundler then keeps only the parts used and drops zod's ~40 locales, 360 KB).
import { config, describe, regex, string, superRefine, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DURATION_SYNTAX, NOT_A_DURATION, readDuration } from './duration.js';

// zod/mini, unlike zod, sets no locale: without this, every message zod writes itself ("Invalid
// input: expected string, received number") would read "Invalid input". English alone is loaded.
config(en());

/** `schema` with its description, for schema.json (zod's `.describe()`): a described copy. */
export function described<T extends ZodMiniType>(schema: T, description: string): T {
  return schema.check(describe(description));
}

/**
 * A duration as --ttl takes it (the same parser, the same messages), for every duration of the
 * config and the plan: a value it lets through is one durationMs reads. The pattern is there for
 * editors (schema.json); the range is checked by the parser.
 */
export const duration = string().check(
  regex(DURATION_SYNTAX, {
    error: (issue) => `${JSON.stringify(issue.input)} ${NOT_A_DURATION}`,
    abort: true,
  }),
  superRefine((text, ctx) => {
    const result = readDuration(text);
    if (!result.ok)
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} ${result.problem}` });
  }),
);
