// Regenerates schema.json from the zod config schema (run: npm run schema).
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/config/schema.js';

writeFileSync(
  new URL('../schema.json', import.meta.url),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
