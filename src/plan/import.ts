import { readAgentTable, looksLikePlanTable, type TableRow } from './agent-table.js';
import {
  fromFirstWord,
  heading,
  inlineText,
  isDelimiterRow,
  isFence,
  numberedRefs,
  splitLines,
  tableCells,
} from './markdown.js';
import type { Plan, PlanAgent } from './schema.js';
import { resolveStreams, streamLine, type RawStream } from './stream-section.js';

/**
 * Turns an orchestration plan written in markdown, as teams write them, into plan data: the
 * agent-assignment table and the "Stream N" sections with their agents and dependency sentence.
 * It never throws and never guesses silently: `read` says what it took from which line, and
 * `unused` names every line that looked like part of the plan but could not be used, and why.
 * The plan it returns always has a valid shape; cross-references are checked by planProblems.
 */

/** A line of the document the importer could not use. */
export interface UnusedLine {
  /** 1-based line number. */
  line: number;
  /** The line as written (not escaped: escape it before printing it to a terminal). */
  text: string;
  why: string;
}

/** What the importer took from a line, for `read`. */
export interface Note {
  line: number;
  text: string;
}

export interface ImportedPlan {
  plan: Plan;
  /** What was read, in document order: "line 84: agent-1 works in 03a-foundation, ...". */
  read: string[];
  unused: UnusedLine[];
}

const STREAM_HEADING =
  /^(?:work\s*)?stream\s*(?:#\s*)?(\d{1,9}[a-z]?)(?![\da-z])\s*[:.)\-\u2013\u2014]?\s*(.*)$/i;
const GATE_HEADING = /\bgates?\b/i;

export function importPlan(markdown: string): ImportedPlan {
  const lines = splitLines(markdown);
  const read: Note[] = [];
  const unused: UnusedLine[] = [];
  const agents: PlanAgent[] = [];
  const streams: RawStream[] = [];
  let fenced = false;
  let stream: RawStream | null = null;
  let gateLevel: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] as string;
    const line = i + 1;
    if (isFence(text)) fenced = !fenced;
    if (fenced || isFence(text)) continue;
    const title = heading(text);
    if (title) {
      if (stream && title.level <= stream.level) stream = null;
      if (gateLevel !== null && title.level <= gateLevel) gateLevel = null;
      const match = STREAM_HEADING.exec(fromFirstWord(title.text));
      if (match) {
        stream = {
          id: `stream-${(match[1] as string).toLowerCase()}`,
          title: (match[2] as string).trim(),
          line,
          level: title.level,
          members: [],
          dependsOn: [],
          dependencyLines: 0,
          topIndent: null,
        };
        streams.push(stream);
        read.push({ line, text: `${stream.id}: "${stream.title}"` });
      } else if (gateLevel === null && GATE_HEADING.test(title.text)) gateLevel = title.level;
      continue;
    }
    const header = tableCells(text);
    const delimiter = tableCells(lines[i + 1] ?? '');
    if (header && delimiter && isDelimiterRow(delimiter)) {
      const rows: TableRow[] = [];
      let j = i + 2;
      for (; j < lines.length; j++) {
        const cells = tableCells(lines[j] as string);
        if (!cells || isFence(lines[j] as string)) break;
        rows.push({ line: j + 1, text: lines[j] as string, cells });
      }
      const table = readAgentTable({ line, text, cells: header }, rows);
      if (table) {
        agents.push(...table.agents);
        read.push(...table.read);
        unused.push(...table.unused);
      } else if (looksLikePlanTable(header)) {
        unused.push({
          line,
          text,
          why: 'a table without both an Agent and a Worktree column; the agent table needs both',
        });
      }
      i = j - 1;
      continue;
    }
    if (stream) streamLine(stream, { line, text }, read, unused);
    else if (text.trim() !== '') {
      const why = outsideWhy(text, gateLevel !== null);
      if (why) unused.push({ line, text, why });
    }
  }
  const plan: Plan = { agents, streams: resolveStreams(streams, agents, read, unused), gates: [] };
  read.sort((a, b) => a.line - b.line);
  unused.sort((a, b) => a.line - b.line);
  return { plan, read: read.map((n) => `line ${n.line}: ${n.text}`), unused };
}

/** Why a line outside the table and the streams looks like part of the plan, or null. */
function outsideWhy(text: string, inGateSection: boolean): string | null {
  if (inGateSection) {
    return 'a quality gate in prose; gates are commands: add it by hand under plan.gates, e.g. {"name": "lint", "run": ["make", "lint"]}';
  }
  const plain = inlineText(text);
  if (numberedRefs(plain, 'agent').length > 0) {
    return 'names an agent outside the agent table and the "Stream N" sections, which are all that is read';
  }
  if (numberedRefs(plain, 'stream').length > 0 || /\bdepend/i.test(plain)) {
    return 'a dependency outside a "Stream N" section; write it under the stream\'s heading';
  }
  return null;
}
