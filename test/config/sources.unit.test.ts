import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { overlay } from '../../src/config/load.js';
import { configSources } from '../../src/config/sources.js';

describe('where each config value came from', () => {
  it('a key the repository file sets is "repository", every other leaf "default"', () => {
    const raw = { base: 'trunk', lines: { limit: 650 }, worktrees: { copy: ['.env'] } };
    const sources = configSources(configSchema.parse(raw) as Record<string, unknown>, {
      user: {},
      repository: raw,
    });
    expect(sources).toMatchObject({
      base: 'repository',
      remote: 'default',
      'lines.limit': 'repository',
      'lines.target': 'default',
      'lines.generated.exclude': 'default',
      'worktrees.copy': 'repository',
      'worktrees.postCreate': 'default',
    });
  });

  it('the repository file overrides the user file, which overrides the defaults, key by key', () => {
    const user = { branchPrefix: 'me/', sync: { strategy: 'merge', fetchTimeout: '5s' } };
    const repository = { sync: { strategy: 'rebase' }, lines: { limit: 650 } };
    const effective = configSchema.parse(overlay(user, repository));
    expect(effective).toMatchObject({
      branchPrefix: 'me/',
      sync: { strategy: 'rebase', fetchTimeout: '5s' },
      lines: { limit: 650 },
    });
    expect(configSources(effective as Record<string, unknown>, { user, repository })).toMatchObject(
      {
        branchPrefix: 'user',
        'sync.strategy': 'repository',
        'sync.fetchTimeout': 'user',
        'lines.limit': 'repository',
        base: 'default',
      },
    );
  });
});

describe('overlay: one config layer over another', () => {
  it('takes an array or a scalar whole from the upper layer', () => {
    expect(overlay({ w: { copy: ['.env', '.envrc'] } }, { w: { copy: ['.env'] } })).toEqual({
      w: { copy: ['.env'] },
    });
    expect(overlay({ w: { copy: ['.env'] } }, { w: {} })).toEqual({ w: { copy: ['.env'] } });
  });

  it('keeps an upper layer that is not an object, or holds one where the lower has none, as written', () => {
    expect(overlay({ a: 1 }, [])).toEqual([]);
    expect(overlay({ sync: { strategy: 'merge' } }, { sync: 'rebase' })).toEqual({
      sync: 'rebase',
    });
    expect(overlay({}, { sync: { strategy: 'merge' } })).toEqual({ sync: { strategy: 'merge' } });
  });
});
