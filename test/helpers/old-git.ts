import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git, tempDir } from './repo.js';

/**
 * A folder holding a `git` that answers as an older git does to the given options it does not
 * know (exit 129, "unknown option"), and is the real git otherwise. Put it first in PATH.
 */
export async function gitWithout(cwd: string, unknownOptions: string[]): Promise<string> {
  const realGit = path.join(await git(cwd, '--exec-path'), 'git');
  const bin = tempDir();
  writeFileSync(
    path.join(bin, 'git'),
    `#!${process.execPath}
const args = process.argv.slice(2);
const unknown = ${JSON.stringify(unknownOptions)}.find((o) => args.includes(o));
if (unknown) {
  process.stderr.write("error: unknown option \`" + unknown.replace(/^--/, '') + "'\\n");
  process.exit(129);
}
import('node:child_process').then(({ spawnSync }) => {
  const run = spawnSync(${JSON.stringify(realGit)}, args, { stdio: 'inherit' });
  process.exit(run.status ?? 1);
});
`,
  );
  chmodSync(path.join(bin, 'git'), 0o755);
  return bin;
}
