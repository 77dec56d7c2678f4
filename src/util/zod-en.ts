// zod/mini, unlike zod, sets no locale: without this, every message zod writes itself ("Invalid
// input: expected string, received number") would read "Invalid input". Only the English locale is
// loaded (zod/mini exports all of them as `locales`, which a namespace import leaves out of the
// bundle). Imported, for this effect, by every module that builds a zod schema.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
