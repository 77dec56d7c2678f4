// What every module that builds a zod schema shares (they import zod/mini itself as a namespace:
// the bundler then keeps only the parts used and drops zod's ~40 locales, 360 KB).
import { config, describe, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini, unlike zod, sets no locale: without this, every message zod writes itself ("Invalid
// input: expected string, received number") would read "Invalid input". English alone is loaded.
config(en());

/** `schema` with its description, for schema.json (zod's `.describe()`): a described copy. */
export function described<T extends ZodMiniType>(schema: T, description: string): T {
  return schema.check(describe(description));
}
