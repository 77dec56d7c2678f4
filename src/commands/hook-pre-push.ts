import { gatePush } from '../linecount/gate.js';
import { baseRef } from '../repo.js';
import type { CommandContext } from './context.js';
import { renderOverLimit } from './check.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Run by the pre-push hook: gates every branch pushed; exit 1 blocks the push. */
export async function run(
  remote: string | undefined,
  _url: string | undefined,
  ctx: CommandContext,
): Promise<number> {
  const stdin = await readStdin();
  const repo = await ctx.repo();
  const results = await gatePush(repo, stdin);
  const blocked = results.filter((r) => r.report !== null && !r.report.withinLimit);
  if (ctx.out.json) {
    ctx.out.data({ remote: remote ?? null, passed: blocked.length === 0, refs: results });
    return blocked.length === 0 ? 0 : 1;
  }
  const { out } = ctx;
  const base = results.some((r) => r.skipped === 'unrelated') ? await baseRef(repo) : '';
  for (const { ref, report, largest, skipped } of results) {
    const branch = ref.remoteRef.replace(/^refs\/heads\//, '');
    if (skipped === 'unrelated') {
      out.info(
        `tmc-orch: ${branch} shares no history with the base ${base}, so it is no PR against it: not gated`,
      );
    }
    if (!report) continue;
    const counts = `${report.counted.lines} counted lines (${report.excluded.lines} generated excluded), size ${report.size}`;
    if (report.withinLimit) {
      out.info(`tmc-orch: ${branch}: ${counts}, under the limit of ${report.limit}`);
      continue;
    }
    out.info(
      out.color.red(`tmc-orch: push of ${branch} refused: ${counts}, limit ${report.limit}`),
    );
    renderOverLimit(largest, out);
    out.info('to bypass the gate deliberately: git push --no-verify');
  }
  return blocked.length === 0 ? 0 : 1;
}
