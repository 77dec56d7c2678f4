import path from 'node:path';

/**
 * Whether `child` lies strictly below `parent` (both absolute; no symlinks resolved). Only a first
 * segment of exactly ".." leaves the parent: a folder named "..b" is a child like any other.
 */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  if (rel === '' || path.isAbsolute(rel)) return false;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`);
}
