import { UsageError } from '../errors.js';
import type { Repo } from '../repo.js';
import type { Plan } from './schema.js';

/** The plan of the config, or the error that says how to get one. */
export function requirePlan(repo: Pick<Repo, 'config' | 'configFile'>): Plan {
  const { plan } = repo.config;
  if (!plan) {
    const where = repo.configFile ?? 'the config (there is no .tmc-orch.json yet)';
    throw new UsageError(
      `there is no plan in ${where}; import one: tmc-orch plan import <file.md>`,
    );
  }
  return plan;
}
