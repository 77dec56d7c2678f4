import path from 'node:path';
import { configOrigin, hooksDir, type ConfigOrigin } from '../../git/index.js';
import { pathExists } from '../../util/fs.js';
import { isInside } from '../../util/path.js';

type HookFileManager = 'git' | 'husky';

export interface HookLocation {
  manager: HookFileManager;
  /** The folder git runs hooks from. */
  hooksDir: string;
  /** The file we write: <hooksDir>/pre-push, or husky's `.husky/pre-push`. */
  file: string;
  /** core.hooksPath as configured, with its scope and file, or null. */
  hooksPath: ConfigOrigin | null;
  /**
   * The file lies in the working tree (husky, a tracked hooks folder): it is, or will be,
   * committed, so it must call tmc-orch without this machine's paths.
   */
  portable: boolean;
}

/** Husky points core.hooksPath at `<dir>/_` (v9) or `.husky` (v4-v8); its hooks are `<dir>/*`. */
async function isHuskyFolder(dir: string, hooksPath: string | null): Promise<boolean> {
  if (hooksPath !== null && /(^|[\\/])\.husky([\\/]_)?[\\/]?$/.test(hooksPath)) return true;
  return path.basename(dir) === '_' && (await pathExists(path.join(dir, 'h')));
}

export interface WorktreePaths {
  /** Top of the worktree. */
  toplevel: string;
  gitDir: string;
  commonDir: string;
}

export async function locateHook(wt: WorktreePaths): Promise<HookLocation> {
  const [dir, hooksPath] = await Promise.all([
    hooksDir(wt.toplevel),
    configOrigin(wt.toplevel, 'core.hooksPath'),
  ]);
  const portable =
    isInside(dir, wt.toplevel) && !isInside(dir, wt.commonDir) && !isInside(dir, wt.gitDir);
  if (await isHuskyFolder(dir, hooksPath?.value ?? null)) {
    const huskyDir = path.basename(dir) === '_' ? path.dirname(dir) : dir;
    return {
      manager: 'husky',
      hooksDir: dir,
      file: path.join(huskyDir, 'pre-push'),
      hooksPath,
      portable,
    };
  }
  return { manager: 'git', hooksDir: dir, file: path.join(dir, 'pre-push'), hooksPath, portable };
}

/**
 * Why installing into this hooks folder would reach beyond the repository, or null. A
 * core.hooksPath from the global or system config (a company set-up) is shared by every
 * repository on the machine; a folder outside the repository may be too. The fix offered is the
 * repository's own folder, <common dir>/hooks.
 */
export function sharedFolderProblem(
  where: Pick<HookLocation, 'hooksDir' | 'hooksPath'>,
  wt: WorktreePaths,
): string | null {
  const fixes = (caveat: string) =>
    `to install it there anyway (it does nothing in a repository without .tmc-orch.json): tmc-orch hooks install --force; or give this repository hooks of its own${caveat}: git config core.hooksPath ${path.join(wt.commonDir, 'hooks')} and rerun tmc-orch hooks install`;
  const { hooksPath } = where;
  if (hooksPath && (hooksPath.scope === 'global' || hooksPath.scope === 'system')) {
    return `core.hooksPath is set in the ${hooksPath.scope} git config (${hooksPath.origin}) to ${hooksPath.value}: a hook installed there runs in every repository on this machine. ${fixes(` (the ${hooksPath.scope} hooks then stop running here)`)}`;
  }
  const inside = [wt.toplevel, wt.commonDir, wt.gitDir].some(
    (root) => where.hooksDir === root || isInside(where.hooksDir, root),
  );
  if (!inside) {
    const source = hooksPath ? ` (core.hooksPath, ${hooksPath.scope} git config)` : '';
    return `the hooks folder ${where.hooksDir} is outside this repository${source}: other repositories may run it too. ${fixes('')}`;
  }
  return null;
}
