import path from 'node:path';
import type { Repo } from '../repo.js';
import { readTextOrNull, writeFileAtomic } from '../util/fs.js';

/**
 * PR line counts by (base commit, head commit, line rules), kept in the common git dir. A count
 * is a pure function of those (the rules in `.gitattributes` and `.generated_files` are read at
 * the merge base of the two commits), and most heads do not move between two `tmc-orch status`
 * runs, so the dashboard need not recount every worktree each time. A lost or corrupt cache only
 * costs time.
 */

const LINES_CACHE_FILE = 'tmc-orch-lines-cache.json';
/**
 * Changes with the way lines are counted, so that counts made by an older tmc-orch (rules read at
 * the head, say) are not served as answers.
 */
const COUNT_VERSION = 2;
const MAX_ENTRIES = 512;

/** A PR's counted lines and whether they are under the limit. */
export interface LineCount {
  lines: number;
  withinLimit: boolean;
}

export interface LinesCache {
  get(baseCommit: string, head: string): LineCount | undefined;
  set(baseCommit: string, head: string, value: LineCount): void;
  /** Writes the cache back when anything was added (one atomic write). */
  save(): Promise<void>;
}

function isCount(value: unknown): value is LineCount {
  const v = value as LineCount | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(v.lines) &&
    typeof v.withinLimit === 'boolean'
  );
}

/**
 * The file holds the rules its counts were made under, whole (a hash would cost loading
 * node:crypto at every status), and the counts by `<base> <head>`: other rules, another file.
 */
interface CacheFile {
  rules: string;
  counts: Record<string, unknown>;
}

export async function openLinesCache(repo: Repo): Promise<LinesCache> {
  const file = path.join(repo.commonDir, LINES_CACHE_FILE);
  const rules = JSON.stringify([COUNT_VERSION, repo.config.lines]);
  const entries = new Map<string, LineCount>();
  try {
    const parsed = JSON.parse((await readTextOrNull(file)) ?? '{}') as Partial<CacheFile> | null;
    if (parsed?.rules === rules && typeof parsed.counts === 'object' && parsed.counts !== null) {
      for (const [key, value] of Object.entries(parsed.counts)) {
        if (isCount(value)) entries.set(key, value);
      }
    }
  } catch {
    // Corrupt (a crash mid-write cannot do it, a hand edit can): start over.
  }
  let dirty = false;
  const key = (baseCommit: string, head: string) => `${baseCommit} ${head}`;
  return {
    get: (baseCommit, head) => entries.get(key(baseCommit, head)),
    set(baseCommit, head, value) {
      entries.delete(key(baseCommit, head));
      entries.set(key(baseCommit, head), value);
      dirty = true;
    },
    async save() {
      if (!dirty) return;
      const counts = Object.fromEntries([...entries].slice(-MAX_ENTRIES));
      const data: CacheFile = { rules, counts };
      await writeFileAtomic(file, `${JSON.stringify(data)}\n`).catch(() => undefined);
    },
  };
}
