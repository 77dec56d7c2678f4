import path from 'node:path';
import { readTextOrNull, writeFileAtomic } from '../util/fs.js';

/**
 * The quality gates' results as files in the shared folder, where every agent can read them:
 * `<sharedDir>/gates/<worktree>/<gate>.log` holds each gate's output, and `last-run.json` the
 * verdicts of the last run with the commit they judged, so `tmc-orch plan` can show whether the
 * branch as it is now passed.
 */

/** How one gate ended. */
export type GateOutcome =
  | { status: 'passed'; exitCode: 0 }
  | { status: 'failed'; exitCode: number | null; signal: string | null }
  | { status: 'timed-out'; timeoutMs: number }
  /** The program is not there (not installed, not on PATH, a typo in plan.gates). */
  | { status: 'not-found'; program: string }
  /** It could not be started for another reason (not executable, the folder is gone…). */
  | { status: 'error'; message: string };

export type GateResult = GateOutcome & {
  gate: string;
  run: string[];
  /** Absolute path of the file holding its output. */
  log: string;
  durationMs: number;
};

export interface GateRecord {
  v: 1;
  /** The worktree's plan name ("main" for the main worktree). */
  worktree: string;
  path: string;
  /** The commit checked out when the gates ran; null on an unborn branch. */
  head: string | null;
  /** The worktree had uncommitted changes: the verdicts are about those too. */
  dirty: boolean;
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  gates: GateResult[];
}

const GATES_DIR = 'gates';
const RECORD_FILE = 'last-run.json';

export function gateDir(sharedDir: string, worktree: string): string {
  return path.join(sharedDir, GATES_DIR, worktree);
}

export function gateLog(sharedDir: string, worktree: string, gate: string): string {
  return path.join(gateDir(sharedDir, worktree), `${gate}.log`);
}

export async function writeGateRecord(sharedDir: string, record: GateRecord): Promise<void> {
  const file = path.join(gateDir(sharedDir, record.worktree), RECORD_FILE);
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** The last run's record, or null when there is none (or it cannot be read: it is only a cache). */
export async function readGateRecord(
  sharedDir: string,
  worktree: string,
): Promise<GateRecord | null> {
  try {
    const text = await readTextOrNull(path.join(gateDir(sharedDir, worktree), RECORD_FILE));
    if (text === null) return null;
    const record = JSON.parse(text) as Partial<GateRecord>;
    if (record.v !== 1 || !Array.isArray(record.gates) || typeof record.passed !== 'boolean') {
      return null;
    }
    return record as GateRecord;
  } catch {
    return null;
  }
}

/** What the last run says about the worktree as it is now. */
export type GateVerdict =
  /** The plan has no gates. */
  | { status: 'none' }
  | { status: 'not-run' }
  /** The last run judged another commit, or not every gate of the plan. */
  | { status: 'stale'; head: string | null; at: string }
  | { status: 'passed'; at: string; dirty: boolean }
  | { status: 'failed'; at: string; dirty: boolean; failed: string[] };

export function gateVerdict(
  record: GateRecord | null,
  head: string | null,
  gates: readonly string[],
): GateVerdict {
  if (gates.length === 0) return { status: 'none' };
  if (!record) return { status: 'not-run' };
  const ran = new Set(record.gates.map((g) => g.gate));
  if (record.head !== head || gates.some((g) => !ran.has(g))) {
    return { status: 'stale', head: record.head, at: record.finishedAt };
  }
  const failed = record.gates
    .filter((g) => gates.includes(g.gate) && g.status !== 'passed')
    .map((g) => g.gate);
  return failed.length === 0
    ? { status: 'passed', at: record.finishedAt, dirty: record.dirty }
    : { status: 'failed', at: record.finishedAt, dirty: record.dirty, failed };
}

/** "passed", "failed: lint, test", "stale", "not run", "-". */
export function describeVerdict(verdict: GateVerdict): string {
  switch (verdict.status) {
    case 'none':
      return '-';
    case 'not-run':
      return 'not run';
    case 'stale':
      return 'stale';
    case 'passed':
      return verdict.dirty ? 'passed (uncommitted)' : 'passed';
    case 'failed':
      return `failed: ${verdict.failed.join(', ')}`;
  }
}
