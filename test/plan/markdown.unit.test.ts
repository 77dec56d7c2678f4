import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDependencies } from '../../src/plan/dependencies.js';
import { importPlan } from '../../src/plan/import.js';
import { heading, inlineText, numberedRefs, tableCells } from '../../src/plan/markdown.js';
import { planShapeSchema } from '../../src/plan/schema.js';
import { planProblems, planSchema } from '../../src/plan/validate.js';

describe('dependency sentences', () => {
  it.each([
    ['**Can be done in parallel - no dependencies**', { kind: 'none' }],
    ['No blocking dependencies', { kind: 'none' }],
    ['**Sequential dependencies with Stream 1**', { kind: 'depends', on: ['stream-1'] }],
    ['**Depends on Streams 1 & 2 completion**', { kind: 'depends', on: ['stream-1', 'stream-2'] }],
    ['Starts after Stream 2', { kind: 'depends', on: ['stream-2'] }],
    [
      'Depends on Streams 1, 2 and 3',
      { kind: 'depends', on: ['stream-1', 'stream-2', 'stream-3'] },
    ],
    [
      'Blocked until Streams 1-3 are merged',
      { kind: 'depends', on: ['stream-1', 'stream-2', 'stream-3'] },
    ],
    ['Requires Stream 1 and Stream 2a', { kind: 'depends', on: ['stream-1', 'stream-2a'] }],
    ['_Runs in parallel with Stream 2_', { kind: 'parallel', with: ['stream-2'] }],
    ['Independent of Stream 4', { kind: 'parallel', with: ['stream-4'] }],
    ['Parallel with Stream 2 - no blocking dependencies', { kind: 'parallel', with: ['stream-2'] }],
    // Clause by clause: the parallel one does not hide the dependency.
    [
      'Depends on Stream 3; can run in parallel with Stream 1',
      { kind: 'depends', on: ['stream-3'] },
    ],
    [
      'Parallel with Stream 1. Starts after Stream 2 is merged.',
      { kind: 'depends', on: ['stream-2'] },
    ],
  ])('reads %j', (sentence, expected) => {
    expect(readDependencies(sentence)).toEqual(expected);
  });

  it.each([
    ['Streams 1, 2 and 3', /names streams without saying/],
    ['No dependencies except Stream 1', /says there are no dependencies but names streams/],
    ['Depends on the security work', /names no stream number/],
    ['Can run in parallel with Stream 1 once Stream 2 is merged', /runs alongside streams and/],
    ['No dependencies. Depends on Stream 2', /both that there are no dependencies/],
  ])('asks about %j instead of guessing', (sentence, why) => {
    const reading = readDependencies(sentence);
    expect(reading.kind).toBe('unclear');
    if (reading.kind === 'unclear') expect(reading.why).toMatch(why);
  });

  it('leaves a sentence about something else alone', () => {
    expect(readDependencies('Deliver the controller fixes in week 2')).toEqual({
      kind: 'unrelated',
    });
  });
});

describe('markdown pieces', () => {
  it('removes bold, code, emphasis and link marks but keeps snake_case', () => {
    expect(inlineText('**Agent 1** `03a` _now_ [docs](x.md) snake_case_name')).toBe(
      'Agent 1 03a now docs snake_case_name',
    );
  });

  it('reads ATX headings with or without closing hashes', () => {
    expect(heading('## Title ##  ')).toEqual({ level: 2, text: 'Title' });
    expect(heading('### C#')).toEqual({ level: 3, text: 'C#' });
    expect(heading('# ###')).toEqual({ level: 1, text: '' });
    expect(heading('#hashtag')).toBeNull();
    expect(heading('    # code')).toBeNull();
  });

  it('splits table rows on unescaped pipes only', () => {
    expect(tableCells('  - | a \\| b | `c` |')).toEqual(['a | b', '`c`']);
    expect(tableCells('no table')).toBeNull();
  });

  it('reads lists and ranges of numbers and ignores what merely follows them', () => {
    expect(numberedRefs('Streams 3 - blocked until Stream 1', 'stream')).toEqual(['3', '1']);
    expect(numberedRefs('streams 2 to 4, stream 9', 'stream')).toEqual(['2', '3', '4', '9']);
    expect(numberedRefs('Streams 1-9999999 and Upstream 5', 'stream')).toEqual(['1', '9999999']);
  });
});

const row = fc.oneof(
  fc.constantFrom(
    '| **Agent 1** | `03a-foundation` | Fixes | Critical |',
    '| Agent 2 | main | | |',
    '| Agent 2 | `a/b/..` | x | soon |',
    '| Agent 4 (lead) | `feature/x/01-vw` | y | P1 |',
    '| Backend Lead | api | z | low |',
    '| | |',
    '  - | Agent 3 | `w` |',
  ),
  fc
    .array(fc.string({ maxLength: 12 }), { maxLength: 5 })
    .map((cells) => `| ${cells.join(' | ')} |`),
);
const table = fc
  .tuple(
    fc.constantFrom(
      '| Agent Role | Primary Worktree | Focus Area | Priority |',
      '| Priority | Worktree | Agent |',
      '| Agent | Focus |',
      '> | Agent | Worktree |',
    ),
    fc.array(row, { maxLength: 6 }),
  )
  .map(([header, rows]) => [header, '|---|---|---|---|', ...rows]);
const line = fc.oneof(
  fc.constantFrom(
    '#### **Stream 1: Fixes** (Week 1)',
    '## üéØ Stream 2 - Other',
    '### Stream 1',
    '# Stream 3',
    'Depends on Streams 1 & 2 completion',
    'Can be done in parallel - no dependencies',
    'after Stream 3',
    'Streams 1, 2 and 3',
    '- **Agent 1**: work',
    '- **Agent 9**: ghost',
    '- **Backend Lead**: api',
    '- `03a-foundation`: work',
    '- Agents 1 & 2: pair',
    '- **Depends on**: Stream 2',
    '  - detail',
    '### Quality Gates',
    '```',
    '',
  ),
  fc.string({ maxLength: 30 }),
);

/** Text built from the pieces plans are made of, so the importer meets tables and streams. */
const planish = fc
  .array(
    fc.oneof(
      table,
      line.map((l) => [l]),
    ),
    { maxLength: 25 },
  )
  .chain((blocks) => fc.constantFrom('\n', '\r\n', '\r').map((eol) => blocks.flat().join(eol)));

describe('importing any text', () => {
  // Each of these took quadratic time in one regular expression or another (a run of spaces
  // before "#", after "Stream", nested brackets...): 100 000 characters then take minutes, while
  // linear reading takes milliseconds, so the timeout tells the two apart under any load.
  const n = 100_000;
  it.each([
    ['spaces in a heading', `# a${' '.repeat(n)}b`],
    ['hashes in a heading', `# a ${'#'.repeat(n)}x`],
    ['spaces after Stream', `## Stream${' '.repeat(n)}#${' '.repeat(n)}x`],
    ['brackets', `${'['.repeat(n)}${']('.repeat(n)}`],
    ['no after no', `#### Stream 1\n${'no '.repeat(n)}`],
    ['a long list of streams', `#### Stream 1\nDepends on streams 1${', 2'.repeat(n)}`],
    ['emphasis marks', `*a${' *a'.repeat(n)}`],
    ['escaped pipes', `| Agent | Worktree |\n|-|-|\n|${' \\|'.repeat(n)}`],
  ])('reads %s in linear time', { timeout: 15_000 }, (_name, text) => {
    expect(importPlan(text).plan.gates).toEqual([]);
  });

  it('never throws, returns a plan of valid shape, and reports exactly its problems', () => {
    fc.assert(
      fc.property(fc.oneof(planish, fc.string({ maxLength: 400 })), (text) => {
        const result = importPlan(text);
        expect(planShapeSchema.safeParse(result.plan).success).toBe(true);
        const problems = planProblems(result.plan);
        expect(planSchema.safeParse(result.plan).success).toBe(problems.length === 0);
        for (const unused of result.unused) {
          expect(unused.line).toBeGreaterThanOrEqual(1);
          expect(unused.why).not.toBe('');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('gives an unused line exactly as it is written in the text', () => {
    fc.assert(
      fc.property(planish, (text) => {
        const lines = text.split(/\r\n|\r|\n/);
        for (const unused of importPlan(text).unused) {
          expect(lines[unused.line - 1]).toBe(unused.text);
        }
      }),
      { numRuns: 500 },
    );
  });
});
