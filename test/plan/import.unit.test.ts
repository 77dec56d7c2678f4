import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importPlan } from '../../src/plan/import.js';
import { validatePlan } from '../../src/plan/validate.js';

const example = readFileSync(new URL('../fixtures/orchestration-plan.md', import.meta.url), 'utf8');

const md = (...lines: string[]) => lines.join('\n');

const TABLE = md(
  '| Agent Role | Primary Worktree | Focus Area | Priority |',
  '|------------|------------------|------------|----------|',
  '| **Agent 1** | `03a-foundation` | Controller Pattern Fixes | Critical |',
  '| **Agent 2** | `main` | Integration | Ongoing |',
);

describe('importing the example plan', () => {
  const result = importPlan(example);

  it('reads all 8 agents with their worktrees, focus and priorities', () => {
    expect(result.plan.agents.map((a) => [a.id, a.worktree, a.priority])).toEqual([
      ['agent-1', '03a-foundation', 'critical'],
      ['agent-2', '03b-binary-manager', 'critical'],
      ['agent-3', '02-apiexport-split', 'high'],
      ['agent-4', '01-virtual-workspace', 'high'],
      ['agent-5', '01-security-foundation', 'high'],
      ['agent-6', '02-feature-flags', 'medium'],
      ['agent-7', 'testing-integration', 'medium'],
      ['agent-8', 'main', 'ongoing'],
    ]);
    expect(result.plan.agents[0]?.focus).toBe('Controller Pattern Fixes');
  });

  it('reads the 3 streams, their agents and dependencies', () => {
    expect(result.plan.streams).toEqual([
      {
        id: 'stream-1',
        title: 'Critical Architectural Fixes (Week 1)',
        agents: ['agent-1', 'agent-2', 'agent-6'],
        worktrees: [],
        dependsOn: [],
      },
      {
        id: 'stream-2',
        title: 'Foundation Corrections (Week 2)',
        agents: ['agent-3', 'agent-4', 'agent-5'],
        worktrees: [],
        dependsOn: ['stream-1'],
      },
      {
        id: 'stream-3',
        title: 'Integration & Validation (Week 3)',
        agents: ['agent-7', 'agent-8'],
        worktrees: [],
        dependsOn: ['stream-1', 'stream-2'],
      },
    ]);
  });

  it('imports a plan that validates', () => {
    expect(validatePlan(result.plan)).toEqual({ ok: true, plan: result.plan });
  });

  it('says what it read, line by line', () => {
    expect(result.read).toContain(
      'line 87: agent-1 works in 03a-foundation on "Controller Pattern Fixes", priority critical',
    );
    expect(result.read).toContain('line 99: stream-1 has no dependencies');
    expect(result.read).toContain('line 135: stream-3 depends on stream-1, stream-2');
  });

  it('reports the timeline and the prose gates it could not use', () => {
    const lines = result.unused.map((u) => u.line);
    // "Agent 8: Setup integration testing framework" under Week 1 contradicts stream 3.
    expect(result.unused.find((u) => u.line === 208)?.text).toContain('Agent 8: Setup');
    expect(result.unused.find((u) => u.line === 223)?.why).toMatch(/dependency outside/);
    expect(lines).toEqual(expect.arrayContaining([150, 161, 205, 226]));
    expect(result.unused.find((u) => u.line === 150)?.why).toMatch(/plan\.gates/);
  });
});

describe('importing formatting variants', () => {
  it('finds the columns in any order and ignores extra ones', () => {
    const { plan } = importPlan(
      md(
        '| Priority | Notes | Worktree | ETA | Agent |',
        '|:--|---|--:|:-:|---|',
        '| HIGH | x | `02-split` | Tue | Agent 3 |',
      ),
    );
    expect(plan.agents).toEqual([
      { id: 'agent-3', worktree: '02-split', focus: '', priority: 'high' },
    ]);
  });

  it('gives every agent the default priority, medium, without a Priority column, and says so', () => {
    const result = importPlan(
      md('| Agent | Worktree | Focus |', '|---|---|---|', '| Agent 1 | w1 | Tests |'),
    );
    expect(result.plan.agents).toEqual([
      { id: 'agent-1', worktree: 'w1', focus: 'Tests', priority: 'medium' },
    ]);
    expect(result.read.join('\n')).toContain(
      'no Priority column: every agent gets priority medium',
    );
  });

  it('reads a table inside a list item and inside a block quote', () => {
    const indented = TABLE.split('\n').map((l) => `   ${l}`);
    const quoted = TABLE.split('\n').map((l) => `> ${l}`);
    for (const doc of [md('1. Assignments:', '', ...indented), md(...quoted)]) {
      expect(importPlan(doc).plan.agents.map((a) => a.id)).toEqual(['agent-1', 'agent-2']);
    }
  });

  it('reads CRLF and CR line endings like LF', () => {
    const lf = importPlan(example);
    expect(importPlan(example.replace(/\n/g, '\r\n'))).toEqual(lf);
    expect(importPlan(example.replace(/\n/g, '\r')).plan).toEqual(lf.plan);
  });

  it('imports a plan without streams', () => {
    const result = importPlan(md('# Plan', '', TABLE));
    expect(result.plan.streams).toEqual([]);
    expect(validatePlan(result.plan).ok).toBe(true);
  });

  it('reads stream headings behind mis-decoded or real emoji, bold or not', () => {
    const { plan } = importPlan(
      md(
        TABLE,
        '## üéØ **Stream 1 - Fixes**',
        '- **Agent 1**: fix',
        '### 🎯 Stream 2: Integration',
        'Starts after Stream 1 is merged',
        '* Agent 2 – integrate',
      ),
    );
    expect(plan.streams.map((s) => [s.id, s.title, s.agents, s.dependsOn])).toEqual([
      ['stream-1', 'Fixes', ['agent-1'], []],
      ['stream-2', 'Integration', ['agent-2'], ['stream-1']],
    ]);
  });

  it('resolves stream bullets naming an agent by its table name or a worktree, table last', () => {
    const { plan } = importPlan(
      md(
        '#### Stream 1: APIs',
        '- **Backend Lead**: types',
        '- `03b-binary-manager`: isolation',
        '',
        '| Agent | Worktree |',
        '|---|---|',
        '| Backend Lead | api-types |',
        '| Agent 2 | 03b-binary-manager |',
      ),
    );
    expect(plan.streams[0]).toMatchObject({
      agents: ['backend-lead'],
      worktrees: ['03b-binary-manager'],
    });
  });

  it('takes the worktree from a path or branch and keeps the agent id short', () => {
    const { plan, read } = importPlan(
      md('| Agent | Worktree |', '|---|---|', '| Agent 4 (lead) | `feature/x/01-vw` |'),
    );
    expect(plan.agents[0]).toMatchObject({ id: 'agent-4', worktree: '01-vw' });
    expect(read.join('\n')).toContain('(from "feature/x/01-vw")');
  });

  it('ignores tables and stream headings inside code fences', () => {
    const { plan } = importPlan(md('```md', TABLE, '#### Stream 1: X', '```'));
    expect(plan).toEqual({ agents: [], streams: [], gates: [] });
  });
});

describe('importing what it cannot use', () => {
  it('keeps an unknown priority as the default and reports the row', () => {
    const result = importPlan(
      md('| Agent | Worktree | Priority |', '|-|-|-|', '| Agent 1 | w | Someday |'),
    );
    expect(result.plan.agents[0]?.priority).toBe('medium');
    expect(result.unused).toEqual([
      {
        line: 3,
        text: '| Agent 1 | w | Someday |',
        why: 'priority "Someday" is none of critical, high, medium, low, ongoing; agent-1 got medium (the default)',
      },
    ]);
  });

  it('reports rows without an agent or with a worktree that cannot be a name', () => {
    const result = importPlan(
      md(
        '| Agent | Worktree |',
        '|-|-|',
        '| | w |',
        '| Agent 2 | to be decided |',
        '| Agent 3 | |',
      ),
    );
    expect(result.plan.agents).toEqual([]);
    expect(result.unused.map((u) => [u.line, u.why])).toEqual([
      [3, 'a row of the agent table without an agent name'],
      [4, expect.stringMatching(/^agent-2: worktree "to be decided" must start with/)],
      [5, 'agent-3 has no worktree; write its worktree name in the row'],
    ]);
  });

  it('reports a table about agents without a worktree column', () => {
    const result = importPlan(md('| Agent | Focus |', '|-|-|', '| Agent 1 | x |'));
    expect(result.unused[0]).toMatchObject({
      line: 1,
      why: expect.stringMatching(/Worktree column/),
    });
  });

  it('reports a stream bullet naming no agent and an unclear dependency sentence', () => {
    const result = importPlan(
      md(
        TABLE,
        '#### Stream 2: X',
        'Shares reviewers with Stream 1',
        '- **Goal**: ship',
        '- ship it',
      ),
    );
    expect(result.unused.map((u) => u.line)).toEqual([6, 7, 8]);
    expect(result.unused[0]?.why).toMatch(/without saying the stream waits/);
    expect(result.unused[1]?.why).toMatch(/label "Goal" is no agent/);
  });

  it('keeps a bullet naming an unknown agent, so the validation names it', () => {
    const { plan } = importPlan(md(TABLE, '#### Stream 1: X', '- **Agent 9**: ghost'));
    expect(validatePlan(plan)).toEqual({
      ok: false,
      problems: [
        'streams.0.agents.0: unknown agent "agent-9" in stream "stream-1" (the plan\'s agents: agent-1, agent-2)',
      ],
    });
  });

  it('imports streams that wait for each other and lets the validation name the cycle', () => {
    const { plan } = importPlan(
      md(
        TABLE,
        '#### Stream 1: A',
        'Depends on Stream 2',
        '- Agent 1: a',
        '#### Stream 2: B',
        'After Stream 1',
        '- Agent 2: b',
      ),
    );
    expect(validatePlan(plan)).toMatchObject({
      ok: false,
      problems: [
        'streams.0.dependsOn: dependency cycle stream-1 → stream-2 → stream-1; remove one of these dependencies',
      ],
    });
  });
});
