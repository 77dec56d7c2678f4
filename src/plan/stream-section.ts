import { worktreeNameProblem } from '../worktrees/names.js';
import { agentIdOf } from './agent-table.js';
import { readDependencies } from './dependencies.js';
import type { Note, UnusedLine } from './import.js';
import { bullet, inlineText, numberedRefs, slug } from './markdown.js';
import type { PlanAgent, PlanStream } from './schema.js';

/**
 * A "Stream N" section: its top-level bullets name its agents (`- **Agent 1**: ...`, or a
 * `worktree`), its prose says what it depends on. Bullets are resolved against the agent table
 * once the whole document is read, since the table may come after the streams.
 */

export interface RawStream {
  id: string;
  title: string;
  line: number;
  level: number;
  members: Member[];
  dependsOn: string[];
  /** How many lines spoke about dependencies, to say when none did. */
  dependencyLines: number;
  /** The indentation of the section's first bullet: bullets deeper than it are details. */
  topIndent: number | null;
}

interface Member {
  line: number;
  text: string;
  label: string;
  code: boolean;
}

const DEPENDENCY_LABEL =
  /^(depends?(\s+on)?|dependenc(y|ies)|blocked\s+by|prerequisites?|after|waits?\s+for)$/i;

/** The label a bullet starts with: **bold**, `code`, or the words before ":" or " - ". */
function labelOf(text: string): { label: string; code: boolean } | null {
  const bold = /^(\*\*|__)(.+?)\1/.exec(text);
  if (bold) return { label: inlineText(bold[2] as string).replace(/[\s:]+$/, ''), code: false };
  const code = /^`([^`]+)`/.exec(text);
  if (code) return { label: (code[1] as string).trim(), code: true };
  const plain = /^([^:]{1,60}?)\s*(?::|\s[-\u2013\u2014]\s)/.exec(text);
  return plain ? { label: inlineText(plain[1] as string), code: false } : null;
}

export function streamLine(
  stream: RawStream,
  source: { line: number; text: string },
  read: Note[],
  unused: UnusedLine[],
): void {
  const item = bullet(source.text);
  if (item) {
    stream.topIndent ??= item.indent;
    if (item.indent > stream.topIndent + 1) return;
    const label = labelOf(item.text);
    if (label && !label.code && DEPENDENCY_LABEL.test(label.label)) {
      dependencyLine(stream, source, read, unused);
    } else if (label) stream.members.push({ ...source, ...label });
    else {
      unused.push({
        ...source,
        why: `a bullet of ${stream.id} that names no agent; start it with **Agent N**:`,
      });
    }
  } else if (source.text.trim() !== '') dependencyLine(stream, source, read, unused);
}

function dependencyLine(
  stream: RawStream,
  source: { line: number; text: string },
  read: Note[],
  unused: UnusedLine[],
): void {
  const reading = readDependencies(source.text);
  if (reading.kind === 'unrelated') return;
  stream.dependencyLines++;
  if (reading.kind === 'unclear') {
    unused.push({ ...source, why: `${stream.id}: ${reading.why}` });
  } else if (reading.kind === 'none') {
    read.push({ line: source.line, text: `${stream.id} has no dependencies` });
  } else if (reading.kind === 'parallel') {
    read.push({
      line: source.line,
      text: `${stream.id} runs in parallel with ${reading.with.join(', ')}: no dependency`,
    });
  } else {
    const on = reading.on.filter((id) => id !== stream.id);
    for (const id of on) if (!stream.dependsOn.includes(id)) stream.dependsOn.push(id);
    const self = on.length < reading.on.length ? ` (its own number ignored)` : '';
    read.push({
      line: source.line,
      text: `${stream.id} depends on ${on.join(', ') || 'nothing'}${self}`,
    });
  }
}

/** The streams with their bullets resolved against the agent table. */
export function resolveStreams(
  raw: readonly RawStream[],
  agents: readonly PlanAgent[],
  read: Note[],
  unused: UnusedLine[],
): PlanStream[] {
  const ids = new Set(agents.map((a) => a.id));
  const worktrees = new Set(agents.map((a) => a.worktree));
  return raw.map((stream) => {
    const result: PlanStream = {
      id: stream.id,
      title: stream.title,
      agents: [],
      worktrees: [],
      dependsOn: stream.dependsOn,
    };
    if (stream.dependencyLines === 0) {
      read.push({
        line: stream.line,
        text: `${stream.id}: no dependency sentence under the heading, so no dependencies`,
      });
    }
    for (const member of stream.members) {
      const found = resolveMember(member, ids, worktrees);
      if (found === null) {
        unused.push({
          line: member.line,
          text: member.text,
          why: `a bullet of ${stream.id} whose label "${member.label}" is no agent or worktree of the agent table`,
        });
        continue;
      }
      const list = found.kind === 'agent' ? result.agents : result.worktrees;
      for (const name of found.names) if (!list.includes(name)) list.push(name);
      read.push({ line: member.line, text: `${stream.id} includes ${found.names.join(', ')}` });
    }
    return result;
  });
}

function resolveMember(
  member: Member,
  agentIds: ReadonlySet<string>,
  worktrees: ReadonlySet<string>,
): { kind: 'agent' | 'worktree'; names: string[] } | null {
  const { label } = member;
  if (worktrees.has(label)) return { kind: 'worktree', names: [label] };
  if (member.code) {
    if (agentIds.has(label)) return { kind: 'agent', names: [label] };
    return worktreeNameProblem(label) ? null : { kind: 'worktree', names: [label] };
  }
  // "Agent 1", "Agents 1 & 2": agents by number, known to the table or not (then the
  // validation names them); any other label only when it is an agent of the table.
  if (/^agents?\s*#?\s*\d/i.test(label)) {
    const numbers = numberedRefs(label, 'agent');
    if (numbers.length > 0) return { kind: 'agent', names: numbers.map((n) => `agent-${n}`) };
  }
  const id = agentIdOf(label);
  if (agentIds.has(id)) return { kind: 'agent', names: [id] };
  return agentIds.has(slug(label)) ? { kind: 'agent', names: [slug(label)] } : null;
}
