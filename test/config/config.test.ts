import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadConfig,
  parseConfig,
  resolvePaths,
  worktreeRootProblem,
} from '../../src/config/load.js';
import { CONFIG_FILE, configJsonSchema, configSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { actingAgent, userConfigPath } from '../../src/config/identity.js';
import { parseUserConfig } from '../../src/config/user.js';
import { tempDir } from '../helpers/repo.js';

describe('config schema', () => {
  it('fills every default', () => {
    const config = configSchema.parse({});
    expect(config).toMatchObject({
      base: 'main',
      remote: 'origin',
      branchPrefix: '',
      lines: {
        limit: 700,
        target: 600,
        count: 'changed',
        generated: { exclude: [], include: [], presets: [] },
      },
      claims: { ttl: '24h' },
      sync: { strategy: 'rebase' },
    });
  });

  it('names the file and each bad key', () => {
    const attempt = () =>
      parseConfig(
        { lines: { limit: -3 }, sync: { strategy: 'yolo' }, bogus: 1 },
        '/x/.tmc-orch.json',
      );
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('/x/.tmc-orch.json');
      expect(message).toContain('lines.limit:');
      expect(message).toContain('sync.strategy:');
      expect(message).toContain('bogus');
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('words the messages zod makes itself in English, as before zod/mini', () => {
    expect(() => parseConfig({ lines: { limit: 'x' }, sync: { strategy: 'yolo' } }, 'f')).toThrow(
      'lines.limit: Invalid input: expected number, received string; sync.strategy: Invalid option: expected one of "rebase"|"merge"',
    );
    expect(() => parseUserConfig('{"agent": 5}', 'u')).toThrow(
      'agent: Invalid input: expected string, received number',
    );
  });

  it('refuses a target above the limit', () => {
    expect(() => parseConfig({ lines: { limit: 100, target: 200 } }, 'f')).toThrow(/lines\.target/);
  });

  it('resolves the default folders beside the main worktree', () => {
    const paths = resolvePaths(configSchema.parse({}), '/work/kcp');
    expect(paths).toEqual({
      worktreeRoot: '/work/kcp-worktrees',
      sharedDir: '/work/kcp-shared-tools',
    });
  });

  it('keeps the committed schema.json in sync with the zod schema (npm run schema)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(configJsonSchema());
  });
});

describe('config: base and remote', () => {
  it.each(['a..b', '-x', 'x.lock', 'a b', '*', 'x/', 'a@{b', 'a:b'])('rejects base %j', (base) => {
    expect(() => parseConfig({ base }, 'f')).toThrow(/base: must be a branch name/);
  });
  it.each(['main', 'feature/x', 'release-1.0', 'v1_2'])('accepts base %j', (base) => {
    expect(parseConfig({ base }, 'f').base).toBe(base);
  });
  it.each(['-o', 'a b', 'x/y', '*'])('rejects remote %j', (remote) => {
    expect(() => parseConfig({ remote }, 'f')).toThrow(/remote: must be a remote name/);
  });
  it('accepts "" as no remote', () => {
    expect(parseConfig({ remote: '' }, 'f').remote).toBe('');
  });
});

describe('the per-user config file', () => {
  it('lives in $XDG_CONFIG_HOME/tmc-orch, else ~/.config/tmc-orch; a relative XDG_CONFIG_HOME is ignored', () => {
    expect(userConfigPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/a' })).toBe(
      '/x/cfg/tmc-orch/config.json',
    );
    expect(userConfigPath({ XDG_CONFIG_HOME: 'cfg', HOME: '/home/a' })).toBe(
      '/home/a/.config/tmc-orch/config.json',
    );
    expect(userConfigPath({ HOME: '/home/a' })).toBe('/home/a/.config/tmc-orch/config.json');
  });

  it('holds a valid agent id and nothing unknown', () => {
    expect(parseUserConfig('{"agent":"agent-3"}', 'f')).toEqual({ agent: 'agent-3' });
    expect(parseUserConfig('{}', 'f')).toEqual({});
    expect(parseUserConfig('\uFEFF{"agent":"agent-3"}\n', 'f')).toEqual({ agent: 'agent-3' });
    expect(() => parseUserConfig('{"agent":"a b"}', 'f')).toThrow(/f: agent: "a b" must start/);
    expect(() => parseUserConfig('{"agent":""}', 'f')).toThrow(/agent: "" is empty/);
    expect(() => parseUserConfig('[]', 'f')).toThrow(ConfigError);
  });

  it('holds colour and defaults for the repository settings that are a matter of taste', () => {
    const text = JSON.stringify({
      color: 'never',
      branchPrefix: 'me/',
      sync: { strategy: 'merge', fetchTimeout: '10s' },
      remoteCoordination: { timeout: '1m' },
      worktrees: { copy: ['.envrc'], disposable: ['node_modules/', '.venv/'] },
    });
    expect(parseUserConfig(text, 'f')).toEqual(JSON.parse(text));
  });

  it("checks a user default with the repository's own rule and message", () => {
    for (const [user, message] of [
      [{ sync: { fetchTimeout: 'soon' } }, 'sync.fetchTimeout: "soon" is not a duration'],
      // Refused when the file is read, like claims.ttl, not by the first sync that fetches.
      [{ sync: { fetchTimeout: '0s' } }, 'sync.fetchTimeout: "0s" is zero'],
      [{ worktrees: { disposable: [''] } }, 'worktrees.disposable.0: a glob must not be empty'],
      [{ sync: { strategy: 'squash' } }, 'sync.strategy:'],
    ] as const) {
      expect(() => parseConfig(user, 'f')).toThrow(message);
      expect(() => parseUserConfig(JSON.stringify(user), 'f')).toThrow(message);
    }
  });

  it("refuses the settings that are the team's, saying where they belong", () => {
    expect(() => parseUserConfig('{"lines":{"limit":900},"base":"dev"}', 'f')).toThrow(
      /lines, base are repository settings: set them in the repository's \.tmc-orch\.json/,
    );
    expect(() => parseUserConfig('{"claims":{"ttl":"1h"}}', 'f')).toThrow(
      /claims is a repository setting/,
    );
    expect(() => parseUserConfig('{"sync":{"strategy":"merge","bogus":1}}', 'f')).toThrow(
      /sync: unknown key\(s\) bogus; fix the file/,
    );
  });

  it('an unknown key names the known keys near it, in either file', () => {
    expect(() => parseConfig({ worktree: {}, lines: { limt: 5 } }, 'f')).toThrow(
      /lines: unknown key\(s\) limt \(did you mean limit\?\); \(root\): unknown key\(s\) worktree \(did you mean worktrees or worktreeRoot\?\)/,
    );
    expect(() => parseUserConfig('{"agnet":"a","sync":{"stratgy":"merge"}}', 'f')).toThrow(
      /sync: unknown key\(s\) stratgy \(did you mean strategy\?\); \(root\): unknown key\(s\) agnet \(did you mean agent\?\)/,
    );
    expect(() => parseConfig({ zzzzzz: 1 }, 'f')).toThrow(/unknown key\(s\) zzzzzz; fix/);
  });

  it('an action without an explicit id is exit 2 naming the three ways to set one', () => {
    const agent = {
      explicit: false as const,
      id: 'me@host',
      userConfig: '/h/.config/tmc-orch/config.json',
    };
    expect(() => actingAgent(agent, 'claim')).toThrow(
      /^claim acts as an agent.*--agent <id>.*TMC_AGENT=<id>.*\/h\/\.config\/tmc-orch\/config\.json$/,
    );
    expect(actingAgent({ explicit: true, id: 'agent-1', source: 'env' }, 'claim')).toBe('agent-1');
  });
});

describe('config: the file as editors save it', () => {
  it('reads a file that starts with a UTF-8 byte order mark', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, CONFIG_FILE),
      `\uFEFF${JSON.stringify({ base: 'trunk', lines: { limit: 5, target: 4 } })}\n`,
    );
    const { config } = await loadConfig(dir);
    expect(config).toMatchObject({ base: 'trunk', lines: { limit: 5 } });
  });

  it('refuses a worktree root inside the git dir, a folder named like "..wt" included', () => {
    const main = '/srv/repo';
    const commonDir = '/srv/repo/.git';
    for (const root of ['/srv/repo/.git/wt', '/srv/repo/.git/..wt', '/srv/repo/.git/...']) {
      expect(worktreeRootProblem(root, main, commonDir), root).toMatch(/inside the git dir/);
    }
    for (const root of ['/srv/repo-worktrees', '/srv/repo/.gitwt', '/srv/..repo']) {
      expect(worktreeRootProblem(root, main, commonDir), root).toBeNull();
    }
  });
});

describe('config: the plan', () => {
  const agents = [
    { id: 'agent-1', worktree: '03a-foundation' },
    { id: 'agent-3', worktree: '02-apiexport-split' },
  ];

  it('keeps a valid plan under the key plan, defaults filled', () => {
    const config = parseConfig(
      { plan: { agents, streams: [{ id: 'stream-1', agents: ['agent-1'] }] } },
      'f',
    );
    expect(config.plan?.agents[0]).toEqual({ ...agents[0], focus: '', priority: 'medium' });
    expect(config.plan?.streams[0]?.dependsOn).toEqual([]);
    expect(configSchema.parse({}).plan).toBeUndefined();
  });

  it('names a dependency cycle, a duplicate id and an unknown reference with their keys', () => {
    const attempt = () =>
      parseConfig(
        {
          plan: {
            agents: [...agents, { id: 'agent-1', worktree: 'other' }],
            streams: [
              { id: 'stream-1', agents: ['agent-1'], dependsOn: ['stream-2'] },
              { id: 'stream-2', agents: ['agent-9'], dependsOn: ['stream-1'] },
            ],
          },
        },
        '/x/.tmc-orch.json',
      );
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('/x/.tmc-orch.json');
    expect(message).toContain('plan.agents.2.id: duplicate agent id "agent-1"');
    expect(message).toContain('plan.streams.1.agents.0: unknown agent "agent-9"');
    expect(message).toContain(
      'plan.streams.0.dependsOn: dependency cycle stream-1 → stream-2 → stream-1',
    );
    expect(message.split('\n')).toHaveLength(1);
  });

  it('describes the plan in the JSON schema for editors', () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(schema.properties.plan?.description).toMatch(/plan/i);
  });
});
