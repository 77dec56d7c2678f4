import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJsonIn } from '../helpers/run.js';
import { makeRepo } from '../helpers/repo.js';

describe('tmc-orch config', () => {
  it('says where each value came from, and where the agent id came from', async () => {
    const repo = await makeRepo();
    writeFileSync(
      path.join(repo.main, '.tmc-orch.json'),
      JSON.stringify({ sync: { strategy: 'merge' } }),
    );
    const shown = await runJsonIn<{
      sources: Record<string, string>;
      agent: { id: string; source: string };
    }>(['config'], { cwd: repo.main });
    expect(shown.json.sources).toMatchObject({ 'sync.strategy': 'repository', base: 'default' });
    expect(shown.json.agent).toEqual({ id: 'agent-test', source: 'TMC_AGENT' });
    const flagged = await runJsonIn<{ agent: { source: string } }>(['--agent', 'a-9', 'config'], {
      cwd: repo.main,
    });
    expect(flagged.json.agent.source).toBe('--agent');
  });
});
