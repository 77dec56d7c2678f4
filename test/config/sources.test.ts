import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { configSources } from '../../src/config/sources.js';

describe('where each config value came from', () => {
  it('a key the repository file sets is "repository", every other leaf "default"', () => {
    const raw = { base: 'trunk', lines: { limit: 650 }, worktrees: { copy: ['.env'] } };
    const sources = configSources(configSchema.parse(raw) as Record<string, unknown>, raw);
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
});
