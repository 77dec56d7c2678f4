import { lstat } from 'node:fs/promises';

/** Whether anything (file, folder, dangling symlink) is at `p`. */
export async function pathExists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
