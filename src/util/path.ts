import path from 'node:path';

/** Whether `child` lies strictly below `parent` (both absolute; no symlinks resolved). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
