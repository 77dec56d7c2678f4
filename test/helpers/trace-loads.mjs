// Preloaded with `node --import` by the start-up tests: records every module file the process
// loads (one URL a line) in the file named by TMC_TRACE_LOADS.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.TMC_TRACE_LOADS, url + '\\n');
  return next(url, context);
}`)}`,
);
