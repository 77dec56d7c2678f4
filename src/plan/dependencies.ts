import { inlineText, numberedRefs } from './markdown.js';

/**
 * How the sentence under a stream's heading says what the stream waits for. Teams write it in
 * prose ("Can be done in parallel - no dependencies", "Sequential dependencies with Stream 1",
 * "Depends on Streams 1 & 2 completion"), so this reads the stream numbers it names and the
 * words around them. It errs towards asking: a sentence that names streams without saying that
 * it waits for them is reported as unclear rather than guessed either way.
 */
export type DependencyReading =
  /** The stream waits for these streams (ids such as stream-1). */
  | { kind: 'depends'; on: string[] }
  /** The sentence says there are none. */
  | { kind: 'none' }
  /** The stream runs alongside the named streams: no dependency. */
  | { kind: 'parallel'; with: string[] }
  /** About dependencies, but not readable; `why` says what to write instead. */
  | { kind: 'unclear'; why: string }
  /** Not about dependencies at all. */
  | { kind: 'unrelated' };

const WAITS =
  /\b(depend\w*|after|sequential\w*|following|follows|requires?|required|needs?|blocked|blocking|waits?|waiting|once|builds? on|prerequisites?|until|completion|completed?|finish\w*|merged?)\b/i;
const ALONGSIDE =
  /\b(parallel|concurrent(ly)?|simultaneous(ly)?)\s+(with|to)\b|\balongside\b|\bindependent(ly)?\s+of\b/i;
const NONE = /\bno\s+(blocking\s+)?(dependenc|prerequisite)|\bnone\b|\bindependent\b|\bparallel\b/i;
const ABOUT_DEPENDENCIES = /\b(depend\w*|sequential\w*|blocked|blocking|prerequisites?)\b/i;

/** The stream id a stream number stands for: "2" → "stream-2". */
function streamIdOf(number: string): string {
  return `stream-${number.toLowerCase()}`;
}

/** "no dependencies", "no blocking prerequisites": words of waiting that say there is none. */
const NO_WAITING = /\bno\s+(blocking\s+)?(dependenc\w*|prerequisites?)/gi;

/**
 * Each clause (between ";" and sentence ends) is read on its own, so that "Depends on Stream 3;
 * can run in parallel with Stream 1" waits for stream 3: read whole, the "parallel" would hide
 * the dependency. A line whose clauses contradict each other is unclear.
 */
export function readDependencies(line: string): DependencyReading {
  const text = inlineText(line);
  const clauses = text
    .split(/;|\.(?=\s|$)/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  if (clauses.length <= 1) return readClause(text);
  const readings = clauses.map(readClause);
  const unclear = readings.find((r) => r.kind === 'unclear');
  if (unclear) return unclear;
  const ids = (kind: 'depends' | 'parallel') => [
    ...new Set(
      readings.flatMap((r) => (r.kind === kind ? (r.kind === 'depends' ? r.on : r.with) : [])),
    ),
  ];
  const on = ids('depends');
  if (on.length > 0 && readings.some((r) => r.kind === 'none')) {
    return {
      kind: 'unclear',
      why: 'says both that there are no dependencies and that the stream waits; write "Depends on Stream N" or "No dependencies"',
    };
  }
  if (on.length > 0) return { kind: 'depends', on };
  const alongside = ids('parallel');
  if (alongside.length > 0) return { kind: 'parallel', with: alongside };
  if (readings.some((r) => r.kind === 'none')) return { kind: 'none' };
  return { kind: 'unrelated' };
}

function readClause(text: string): DependencyReading {
  const refs = numberedRefs(text, 'stream').map(streamIdOf);
  if (refs.length > 0) {
    if (ALONGSIDE.test(text)) {
      // "in parallel with Stream 1 once Stream 2 is merged": which it waits for is a guess.
      const rest = text.replace(new RegExp(ALONGSIDE.source, 'gi'), ' ').replace(NO_WAITING, ' ');
      if (WAITS.test(rest)) {
        return {
          kind: 'unclear',
          why: 'says both that the stream runs alongside streams and that it waits; write "Depends on Stream N" in a sentence of its own',
        };
      }
      return { kind: 'parallel', with: refs };
    }
    if (/\bno\b[^.]{0,80}\bdependenc/i.test(text)) {
      return {
        kind: 'unclear',
        why: 'says there are no dependencies but names streams; write "Depends on Stream N" or "No dependencies"',
      };
    }
    if (WAITS.test(text)) return { kind: 'depends', on: refs };
    return {
      kind: 'unclear',
      why: 'names streams without saying the stream waits for them; write "Depends on Stream N"',
    };
  }
  if (NONE.test(text)) return { kind: 'none' };
  if (ABOUT_DEPENDENCIES.test(text)) {
    return {
      kind: 'unclear',
      why: 'mentions dependencies but names no stream number; write "Depends on Stream N"',
    };
  }
  return { kind: 'unrelated' };
}
