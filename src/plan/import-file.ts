import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeConfigKey } from '../config/write.js';
import { importPlan, type UnusedLine } from './import.js';
import type { Plan } from './schema.js';
import { validatePlan } from './validate.js';

/**
 * `tmc-orch plan import`: a markdown plan read into the config key `plan`. The importer never
 * reads gates (a team writes them as prose), so gates already in the config are kept. A plan
 * whose references do not resolve is refused whole, before anything is written.
 */

export interface PlanImportResult {
  /** The markdown file read (absolute). */
  source: string;
  /** The config file written (or that would be, with dryRun). */
  file: string;
  dryRun: boolean;
  written: boolean;
  /** The config file did not exist before. */
  created: boolean;
  /** The config had a plan, which this one replaces. */
  replaced: boolean;
  /** Gates kept from the plan in the config. */
  keptGates: number;
  plan: Plan;
  read: string[];
  unused: UnusedLine[];
}

export async function importPlanFile(
  mainRoot: string,
  source: string,
  options: { dryRun: boolean },
): Promise<PlanImportResult> {
  let markdown: string;
  try {
    markdown = await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(
      `cannot read ${source}: ${why}; pass the path of the plan's markdown file`,
    );
  }
  const { plan: imported, read, unused } = importPlan(markdown);
  const name = path.basename(source);
  if (imported.agents.length === 0) {
    throw new UsageError(
      `${name} has no agent table (a table with "Agent" and "Worktree" columns), so there is no plan to import; nothing was written`,
      { read, unused },
    );
  }
  const checked = validatePlan(imported);
  if (!checked.ok) {
    throw new UsageError(
      `the plan read from ${name} cannot be used: ${checked.problems.join('; ')}; fix ${name} and rerun tmc-orch plan import, nothing was written`,
      { read, unused, problems: checked.problems },
    );
  }
  let plan: Plan = checked.plan;
  const write = await writeConfigKey(
    mainRoot,
    'plan',
    (previous) => {
      // Validated with the whole config before anything is written.
      const gates = (previous as { gates?: unknown } | undefined)?.gates;
      plan = { ...plan, gates: Array.isArray(gates) ? (gates as Plan['gates']) : [] };
      return plan;
    },
    options,
  );
  return {
    source,
    file: write.file,
    dryRun: options.dryRun,
    written: write.written,
    created: write.created,
    replaced: write.previous !== undefined,
    keptGates: plan.gates.length,
    plan: write.config.plan ?? plan,
    read,
    unused,
  };
}
