import { worktreeNameProblem } from '../worktrees/names.js';
import type { Note, UnusedLine } from './import.js';
import { firstCode, inlineText, slug } from './markdown.js';
import { DEFAULT_PRIORITY, MAIN_WORKTREE, type PlanAgent, type Priority } from './schema.js';

/**
 * The agent-assignment table: one row per agent with its worktree, focus and priority. Columns
 * are found by their header words in any order ("Agent Role", "Primary Worktree", "Focus Area",
 * "Priority"); other columns are ignored. A table without both an agent and a worktree column is
 * not an assignment table.
 */

export interface TableRow {
  line: number;
  text: string;
  cells: string[];
}

export interface TableReading {
  agents: PlanAgent[];
  read: Note[];
  unused: UnusedLine[];
}

interface Columns {
  agent: number;
  worktree: number;
  focus: number | undefined;
  priority: number | undefined;
}

function columnsOf(header: readonly string[]): Columns | null {
  const names = header.map((cell) => inlineText(cell).toLowerCase());
  const find = (test: (name: string) => boolean, not: (number | undefined)[] = []) => {
    const index = names.findIndex((name, i) => !not.includes(i) && test(name));
    return index === -1 ? undefined : index;
  };
  const worktree =
    find((n) => n.includes('worktree') && n.includes('primary')) ??
    find((n) => n.includes('worktree'));
  const agent = find((n) => /\bagents?\b/.test(n), [worktree]);
  if (agent === undefined || worktree === undefined) return null;
  const priority = find((n) => n.includes('priority'), [agent, worktree]);
  const focus = find(
    (n) => /focus|task|area|responsib|scope|description|\bwork\b|goal|role/.test(n),
    [agent, worktree, priority],
  );
  return { agent, worktree, focus, priority };
}

/** Whether a table that is not an assignment table still looks like it is about the plan. */
export function looksLikePlanTable(header: readonly string[]): boolean {
  return header.some((cell) => /agent|worktree|priority|stream/i.test(cell));
}

/** "Agent 1" → "agent-1", "**Agent 1** (lead)" → "agent-1", "Backend Lead" → "backend-lead". */
export function agentIdOf(label: string): string {
  const text = inlineText(label);
  const numbered = /^agent\s*#?\s*(\d+[a-z]?)(?![\da-z])/i.exec(text);
  return numbered ? `agent-${(numbered[1] as string).toLowerCase()}` : slug(text);
}

const PRIORITY_WORDS: [RegExp, Priority][] = [
  [/\b(critical|urgent|blocker|p0)\b/, 'critical'],
  [/\b(high|p1)\b/, 'high'],
  [/\b(medium|normal|moderate|p2)\b/, 'medium'],
  [/\b(low|p3)\b/, 'low'],
  [/\b(ongoing|continuous|continual)\b/, 'ongoing'],
];

/** The priority a cell names (the word that comes first), or null. */
function priorityOf(cell: string): Priority | null {
  const text = inlineText(cell).toLowerCase();
  let best: { at: number; priority: Priority } | null = null;
  for (const [word, priority] of PRIORITY_WORDS) {
    const at = text.search(word);
    if (at !== -1 && (best === null || at < best.at)) best = { at, priority };
  }
  return best?.priority ?? null;
}

/** The agents of an assignment table, or null when `header` is not one. */
export function readAgentTable(header: TableRow, rows: readonly TableRow[]): TableReading | null {
  const columns = columnsOf(header.cells);
  if (!columns) return null;
  const reading: TableReading = { agents: [], read: [], unused: [] };
  const used = (['agent', 'worktree', 'focus', 'priority'] as const)
    .filter((key) => columns[key] !== undefined)
    .map((key) => `${inlineText(header.cells[columns[key] as number] ?? '')} → ${key}`);
  reading.read.push({ line: header.line, text: `agent table: ${used.join(', ')}` });
  if (columns.priority === undefined) {
    reading.read.push({
      line: header.line,
      text: `no Priority column: every agent gets priority ${DEFAULT_PRIORITY} (the default)`,
    });
  }
  for (const row of rows) {
    const agent = readRow(row, columns, reading);
    if (agent) reading.agents.push(agent);
  }
  return reading;
}

function readRow(row: TableRow, columns: Columns, reading: TableReading): PlanAgent | null {
  const cell = (index: number | undefined) => (index === undefined ? '' : (row.cells[index] ?? ''));
  const skip = (why: string) => {
    reading.unused.push({ line: row.line, text: row.text, why });
    return null;
  };
  if (row.cells.every((c) => inlineText(c) === '')) return null;
  const id = agentIdOf(cell(columns.agent));
  if (id === '') return skip('a row of the agent table without an agent name');
  const written = firstCode(cell(columns.worktree)) ?? inlineText(cell(columns.worktree));
  if (written === '') return skip(`${id} has no worktree; write its worktree name in the row`);
  // A path or a branch name: the worktree is its last segment (worktrees are named by folder).
  const worktree = written.split('/').filter(Boolean).pop() ?? '';
  const problem = worktreeNameProblem(worktree);
  if (problem) return skip(`${id}: worktree "${written}" ${problem}; write a worktree name`);
  const focus = inlineText(cell(columns.focus));
  let priority = DEFAULT_PRIORITY;
  let priorityNote = `priority ${priority} (the default)`;
  if (columns.priority !== undefined) {
    const given = inlineText(cell(columns.priority));
    const read = priorityOf(given);
    if (read) {
      priority = read;
      priorityNote = `priority ${priority}`;
    } else if (given === '') {
      priorityNote = `no priority given: ${priority} (the default)`;
    } else {
      reading.unused.push({
        line: row.line,
        text: row.text,
        why: `priority "${given}" is none of critical, high, medium, low, ongoing; ${id} got ${priority} (the default)`,
      });
    }
  }
  const where = worktree === MAIN_WORKTREE ? `${worktree} (the main worktree)` : worktree;
  const path = worktree === written ? '' : ` (from "${written}")`;
  reading.read.push({
    line: row.line,
    text: `${id} works in ${where}${path}${focus ? ` on "${focus}"` : ''}, ${priorityNote}`,
  });
  return { id, worktree, focus, priority };
}
