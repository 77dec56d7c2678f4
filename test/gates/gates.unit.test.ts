import { describe, expect, it } from 'vitest';
import { describeVerdict, gateVerdict, type GateRecord } from '../../src/gates/record.js';
import { describeOutcome } from '../../src/gates/run.js';
import { withoutRepositoryEnv } from '../../src/git/run.js';
import { shellWord } from '../../src/ui/format.js';
import { demoConfig } from '../../src/demo/build.js';
import { parseConfig } from '../../src/config/load.js';

const HEAD = 'c'.repeat(40);

function record(overrides: Partial<GateRecord> = {}): GateRecord {
  const gate = (name: string, passed: boolean) => ({
    gate: name,
    run: ['make', name],
    log: `/s/gates/w1/${name}.log`,
    durationMs: 10,
    ...(passed
      ? { status: 'passed' as const, exitCode: 0 as const }
      : { status: 'failed' as const, exitCode: 2, signal: null }),
  });
  return {
    v: 1,
    worktree: 'w1',
    path: '/w/w1',
    head: HEAD,
    dirty: false,
    startedAt: '2025-01-14T09:00:00.000Z',
    finishedAt: '2025-01-14T09:01:00.000Z',
    passed: false,
    gates: [gate('lint', true), gate('test', false)],
    ...overrides,
  };
}

describe('gate verdicts', () => {
  it('names the failed gates of a run on the current commit', () => {
    const verdict = gateVerdict(record(), HEAD, ['lint', 'test']);
    expect(verdict).toMatchObject({ status: 'failed', failed: ['test'] });
    expect(describeVerdict(verdict)).toBe('failed: test');
  });

  it('calls a run on another commit, or without a gate the plan has now, stale', () => {
    expect(gateVerdict(record(), 'd'.repeat(40), ['lint']).status).toBe('stale');
    expect(gateVerdict(record(), HEAD, ['lint', 'test', 'vet']).status).toBe('stale');
  });

  it('judges only the gates the plan still has', () => {
    expect(gateVerdict(record(), HEAD, ['lint'])).toMatchObject({ status: 'passed' });
  });

  it('says not run without a record, and nothing without gates', () => {
    expect(gateVerdict(null, HEAD, ['lint'])).toEqual({ status: 'not-run' });
    expect(gateVerdict(record(), HEAD, [])).toEqual({ status: 'none' });
    expect(describeVerdict({ status: 'none' })).toBe('-');
  });

  it('says when the verdict included uncommitted changes', () => {
    const clean = record({ gates: record().gates.slice(0, 1), dirty: true });
    expect(describeVerdict(gateVerdict(clean, HEAD, ['lint']))).toBe('passed (uncommitted)');
  });

  it('describes every outcome in words', () => {
    expect(describeOutcome({ status: 'failed', exitCode: 3, signal: null })).toBe(
      'failed (exit 3)',
    );
    expect(describeOutcome({ status: 'failed', exitCode: null, signal: 'SIGKILL' })).toBe(
      'failed (SIGKILL)',
    );
    expect(describeOutcome({ status: 'timed-out', timeoutMs: 90_000 })).toBe('timed out (90 s)');
    expect(describeOutcome({ status: 'not-found', program: 'golangci-lint' })).toBe(
      'not found: golangci-lint',
    );
  });

  it("runs gates without git's per-repository variables a hook sets", () => {
    const env = withoutRepositoryEnv({
      PATH: '/bin',
      GIT_DIR: '/r/.git',
      GIT_INDEX_FILE: 'i',
      HOME: '/h',
    });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h' });
  });
});

describe('demo', () => {
  it('quotes paths for the shell only when they need it', () => {
    expect(shellWord('/tmp/tmc-orch-demo-x/kcp')).toBe('/tmp/tmc-orch-demo-x/kcp');
    expect(shellWord('/tmp/my demo')).toBe("'/tmp/my demo'");
    expect(shellWord("/tmp/it's")).toBe("'/tmp/it'\\''s'");
  });

  it('writes a config whose plan imports whole: 8 agents, 3 streams, a prePush gate', () => {
    const config = parseConfig(demoConfig(), 'demo');
    expect(config.plan?.agents).toHaveLength(8);
    expect(config.plan?.streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['stream-1', []],
      ['stream-2', ['stream-1']],
      ['stream-3', ['stream-1', 'stream-2']],
    ]);
    expect(config.plan?.gates.filter((g) => g.prePush)).toHaveLength(1);
  });
});
