// npm's prepare script: builds the bundle (npm run build) after `npm ci`/`npm install` in a
// clone, and when npm installs this package from git. There npm is meant to install the
// devDependencies first, but for a global install (npm install -g <git url>) it does not
// (npm/cli#8440): tsc is not found and the install fails. So when the build tools are missing,
// they are installed here first, into this folder alone, without running their scripts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tools = ['typescript', 'esbuild'].map((name) => `${root}node_modules/${name}/package.json`);

/** npm itself, as the one running this script (no shell: an argument array). */
function npm(args, env = process.env) {
  const cli = process.env.npm_execpath;
  const [command, argv] = cli ? [process.execPath, [cli, ...args]] : ['npm', args];
  const result = spawnSync(command, argv, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!tools.every((file) => existsSync(file))) {
  // The outer install's settings (global, its prefix, allow-scripts, omit) must not steer this
  // local one: npm passes them down as npm_config_* variables. Where to fetch from stays.
  const keep =
    /^npm_config_(registry|cache|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|cafile|ca)$/i;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key) || keep.test(key)),
  );
  npm(
    ['install', '--no-save', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'],
    env,
  );
}
npm(['run', 'build']);
