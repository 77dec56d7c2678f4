// Claim race benchmark: CLAIMERS real `tmc-orch claim` processes race for one worktree, ROUNDS
// times; every round must have exactly one winner. Prints figures and the ratio of a claim's
// wall time to a raw `git update-ref` create (the CAS underneath).
//   npm run build && node bench/claims.js [rounds=100] [claimers=20]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/tmc-orch.js');
const rounds = Number(process.argv[2] ?? 100);
const claimers = Number(process.argv[3] ?? 20);

const root = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-bench-claims-'));
const main = path.join(root, 'repo');
const env = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
};
const git = (...args) => run('git', args, { cwd: main, env });

async function attempt(agent) {
  const started = performance.now();
  try {
    await run(process.execPath, [BIN, 'claim', 'w1'], {
      cwd: main,
      env: { ...env, TMC_AGENT: agent },
    });
    return { code: 0, ms: performance.now() - started };
  } catch (error) {
    return { code: error.code ?? -1, ms: performance.now() - started, stderr: error.stderr };
  }
}

try {
  await run('git', ['init', '-q', '-b', 'main', main], { env });
  await git('commit', '-q', '--allow-empty', '-m', 'init');
  await git('worktree', 'add', '-q', '-b', 'w1', path.join(root, 'repo-worktrees', 'w1'));

  // Raw CAS: the same number of racing `git update-ref` creates.
  // Any object will do as the raw ref's value.
  const oid = (await git('rev-parse', 'HEAD')).stdout.trim();
  const rawStart = performance.now();
  let rawWinners = 0;
  for (let r = 0; r < rounds; r++) {
    const results = await Promise.allSettled(
      Array.from({ length: claimers }, () => git('update-ref', 'refs/bench/raw', oid, '')),
    );
    rawWinners += results.filter((x) => x.status === 'fulfilled').length === 1 ? 1 : 0;
    await git('update-ref', '-d', 'refs/bench/raw');
  }
  const rawPerRound = (performance.now() - rawStart) / rounds;

  let good = 0;
  const bad = [];
  const latencies = [];
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    const results = await Promise.all(
      Array.from({ length: claimers }, (_, i) => attempt(`agent-${r}-${i}`)),
    );
    latencies.push(...results.map((x) => x.ms));
    const winners = results.filter((x) => x.code === 0);
    const others = results.filter((x) => x.code !== 0 && x.code !== 1);
    if (winners.length === 1 && others.length === 0) good++;
    else bad.push({ round: r, winners: winners.length, others: others.map((o) => o.stderr) });
    const winner = `agent-${r}-${results.findIndex((x) => x.code === 0)}`;
    await run(process.execPath, [BIN, 'release', 'w1'], {
      cwd: main,
      env: { ...env, TMC_AGENT: winner },
    });
  }
  const perRound = (performance.now() - start) / rounds;
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(0);
  console.log(
    `claim race: ${rounds} rounds × ${claimers} processes on ${os.availableParallelism()} cores`,
  );
  console.log(
    `  rounds with exactly one winner: ${good}/${rounds}${bad.length ? ` FAILED: ${JSON.stringify(bad)}` : ''}`,
  );
  console.log(`  wall time per round (incl. release): ${perRound.toFixed(0)} ms`);
  console.log(
    `  per-process claim latency: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(0.999)} ms`,
  );
  console.log(
    `  raw git update-ref race: ${rawPerRound.toFixed(0)} ms per round, one winner in ${rawWinners}/${rounds}`,
  );
  console.log(`  ratio tmc-orch / raw git: ${(perRound / rawPerRound).toFixed(1)}×`);
  process.exitCode = bad.length ? 1 : 0;
} finally {
  rmSync(root, { recursive: true, force: true });
}
