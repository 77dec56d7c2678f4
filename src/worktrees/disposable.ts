import picomatch from 'picomatch';

/**
 * Which ignored files `worktree remove` may delete without --force (config
 * `worktrees.disposable`). Ignored files are work too (`.env`, notes in an ignored folder), so
 * only what matches a pattern goes. Patterns are picomatch globs on the path relative to the
 * worktree root, read the way .gitignore reads them: a pattern without a slash matches a name at
 * any depth (`*.log`, `node_modules/`), one with a slash matches from the root (`build/cache`),
 * and a trailing slash matches folders only. A path is disposable when it, or a folder above it,
 * matches.
 */
export function disposableMatcher(patterns: readonly string[]): (entry: string) => boolean {
  const options = { dot: true, basename: true };
  const strip = (p: string) => p.replace(/^\/+/, '').replace(/\/+$/, '');
  const anyKind = patterns.filter((p) => !p.endsWith('/')).map(strip);
  const folderOnly = patterns.filter((p) => p.endsWith('/')).map(strip);
  const never = () => false;
  const matchAny = anyKind.length > 0 ? picomatch(anyKind, options) : never;
  const matchFolder = folderOnly.length > 0 ? picomatch(folderOnly, options) : never;
  return (entry) => {
    const isFolder = entry.endsWith('/');
    const parts = entry.replace(/\/+$/, '').split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const folder = i < parts.length || isFolder;
      if (matchAny(prefix) || (folder && matchFolder(prefix))) return true;
    }
    return false;
  };
}

/**
 * The entries of `ignoredPaths` (folders end in "/") that are not disposable. A folder that is
 * not disposable as a whole is looked into (`filesIn`), since some of its files may be (logs/ with
 * `*.log`): it is reported whole when none of its files is disposable, else file by file.
 */
export async function keptIgnored(
  entries: readonly string[],
  isDisposable: (entry: string) => boolean,
  filesIn: (folders: readonly string[]) => Promise<string[]>,
): Promise<string[]> {
  const kept = entries.filter((e) => !isDisposable(e));
  const folders = kept.filter((e) => e.endsWith('/'));
  const result = kept.filter((e) => !e.endsWith('/'));
  if (folders.length > 0) {
    const files = await filesIn(folders);
    for (const folder of folders) {
      const inside = files.filter((f) => f.startsWith(folder));
      const notDisposable = inside.filter((f) => !isDisposable(f));
      if (notDisposable.length === 0) continue;
      if (notDisposable.length === inside.length) result.push(folder);
      else result.push(...notDisposable);
    }
  }
  return result.sort();
}

/**
 * `kept` (from keptIgnored) without the files that are unchanged copies of the main worktree's
 * (`isCopy`: what setup on create copies, `.env` and the like): removing them loses nothing, the
 * main worktree has the same bytes. A folder is looked into (`filesIn`) and reported whole only
 * when none of its files is such a copy.
 */
export async function withoutCopies(
  kept: readonly string[],
  isCopy: (file: string) => Promise<boolean>,
  filesIn: (folders: readonly string[]) => Promise<string[]>,
): Promise<string[]> {
  const folders = kept.filter((e) => e.endsWith('/'));
  const inFolders = folders.length > 0 ? await filesIn(folders) : [];
  const result: string[] = [];
  for (const entry of kept) {
    if (!entry.endsWith('/')) {
      if (!(await isCopy(entry))) result.push(entry);
      continue;
    }
    const inside = inFolders.filter((f) => f.startsWith(entry));
    const work: string[] = [];
    for (const file of inside) if (!(await isCopy(file))) work.push(file);
    if (work.length === inside.length) result.push(entry);
    else result.push(...work);
  }
  return result.sort();
}
