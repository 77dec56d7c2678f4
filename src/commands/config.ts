import type { Agent } from '../config/identity.js';
import type { Config } from '../config/schema.js';
import { configSources, type ValueSource } from '../config/sources.js';
import type { ColorSetting } from '../ui/output.js';
import type { CommandContext, CommandResult } from '../cli/command.js';

/**
 * `tmc-orch config`: the effective config and where each value came from, lowest first:
 * the schema's defaults < the per-user file < the repository's file < the environment < flags.
 * Repository settings come from the first three; the agent id and colour from all five.
 */

export const PRECEDENCE = ['default', 'user', 'repository', 'env', 'flag'] as const;

type Source = (typeof PRECEDENCE)[number];

/** A value outside the repository settings: where it came from, and by what name there. */
interface Origin<Value> {
  value: Value;
  source: Source;
  /** The flag, the variable or the file that set it; null for a default. */
  from: string | null;
}

export interface ConfigData {
  /** The repository's config file, or null when it has none. */
  file: string | null;
  userFile: { path: string; found: boolean };
  precedence: typeof PRECEDENCE;
  config: Config;
  /** Dotted key of each repository setting → the layer it came from. */
  sources: Record<string, ValueSource>;
  agent: Origin<string>;
  color: Origin<ColorSetting['choice']>;
  paths: { mainRoot: string; worktreeRoot: string; sharedDir: string };
}

function agentOrigin(identity: Agent, userFile: string): Origin<string> {
  if (!identity.explicit) return { value: identity.id, source: 'default', from: null };
  const from = { flag: '--agent', env: 'TMC_AGENT', user: userFile }[identity.source];
  return { value: identity.id, source: identity.source, from };
}

function colorOrigin(setting: ColorSetting, userFile: string): Origin<ColorSetting['choice']> {
  const from =
    setting.source === 'flag' || setting.source === 'env'
      ? setting.from
      : setting.source === 'user'
        ? userFile
        : null;
  return { value: setting.choice, source: setting.source, from };
}

/** Each leaf of `config` by its dotted key, in the schema's order. */
function leaves(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, child]): [string, unknown][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) {
      return leaves(child as Record<string, unknown>, path);
    }
    return [[path, child]];
  });
}

export async function run(_input: object, ctx: CommandContext): Promise<CommandResult<ConfigData>> {
  const repo = await ctx.repo();
  const userFile = ctx.user.file;
  const data: ConfigData = {
    file: repo.configFile,
    userFile: { path: userFile, found: ctx.user.found },
    precedence: PRECEDENCE,
    config: repo.config,
    sources: configSources(repo.config as Record<string, unknown>, repo.configLayers),
    agent: agentOrigin(ctx.identity, userFile),
    color: colorOrigin(ctx.out.colorSetting, userFile),
    paths: { mainRoot: repo.mainRoot, worktreeRoot: repo.worktreeRoot, sharedDir: repo.sharedDir },
  };
  return {
    exitCode: 0,
    data,
    async render(out) {
      const { dim } = out.color;
      out.line(
        `repository config: ${data.file ?? 'none, every repository setting is a default or per-user (tmc-orch init writes one)'}`,
      );
      out.line(`user config:       ${userFile}${data.userFile.found ? '' : ' (none)'}`);
      out.line(dim(`where each value came from, lowest first: ${PRECEDENCE.join(' < ')}`));
      out.line();
      // The files are named above; a flag or a variable is named in its row.
      const origin = (o: Origin<unknown>) =>
        o.source === 'flag' || o.source === 'env' ? `${o.source} (${o.from ?? ''})` : o.source;
      const rows: { key: string; value: string; source: string }[] = [
        { key: 'agent', value: data.agent.value, source: origin(data.agent) },
        { key: 'color', value: data.color.value, source: origin(data.color) },
        ...leaves(data.config as Record<string, unknown>)
          .filter(([key]) => key !== '$schema')
          .map(([key, value]) => ({
            key,
            value: JSON.stringify(value),
            source: data.sources[key] ?? 'default',
          })),
      ];
      await out.table(rows, [
        { header: 'key', value: (r) => r.key },
        { header: 'from', value: (r) => r.source },
        { header: 'value', value: (r) => r.value, shrink: true },
      ]);
      out.line();
      out.line(dim(`worktreeRoot: ${repo.worktreeRoot}`));
      out.line(dim(`sharedDir:    ${repo.sharedDir}`));
    },
  };
}
