// Remote coordination benchmark: the wall time of one `tmc-orch claim` + `release` and of one
// `tmc-orch status`, sequential (no race), in local mode and in remote mode over the local
// transport and over git daemon on a localhost port; and, for scale, one raw `git ls-remote`
// (the listing every remote-mode command pays once).
//   npm run build && node bench/remote.js [runs=10]
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { BIN, benchEnv } from './common.js';

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 10);

const root = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-bench-remote-'));
const remote = path.join(root, 'remote.git');
const main = path.join(root, 'repo');
const env = { ...benchEnv, TMC_AGENT: 'bench' };
const git = (...args) => run('git', args, { cwd: main, env });
const tmc = (...args) => run(process.execPath, [BIN, ...args], { cwd: main, env });

async function median(fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function config(coordination) {
  writeFileSync(path.join(main, '.tmc-orch.json'), JSON.stringify({ coordination }));
}

async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let daemon;
try {
  await run('git', ['init', '-q', '--bare', '-b', 'main', remote], { env });
  await run('git', ['init', '-q', '-b', 'main', main], { env });
  await git('commit', '-q', '--allow-empty', '-m', 'init');
  await git('remote', 'add', 'origin', remote);
  await git('push', '-q', 'origin', 'main');
  for (let i = 0; i < 5; i++) {
    await git('worktree', 'add', '-q', '-b', `w${i}`, path.join(root, 'repo-worktrees', `w${i}`));
  }
  const port = await freePort();
  daemon = spawn(
    'git',
    [
      'daemon',
      `--base-path=${root}`,
      '--export-all',
      '--enable=receive-pack',
      '--listen=127.0.0.1',
      `--port=${port}`,
      '--reuseaddr',
      root,
    ],
    { stdio: 'ignore', detached: true },
  );
  const daemonUrl = `git://127.0.0.1:${port}/remote.git`;
  for (let i = 0; i < 100; i++) {
    try {
      await run('git', ['ls-remote', daemonUrl]);
      break;
    } catch {
      await sleep(50);
    }
  }
  const claimRelease = async () => {
    await tmc('claim', 'w1');
    await tmc('release', 'w1');
  };
  const rows = [];
  for (const [mode, url] of [
    ['local', remote],
    ['remote (file)', remote],
    ['remote (git daemon)', daemonUrl],
  ]) {
    await git('remote', 'set-url', 'origin', url);
    config(mode === 'local' ? 'local' : 'remote');
    await tmc('claim', 'w0'); // one claim held, so status and claims have something to read
    const claim = await median(claimRelease);
    const status = await median(() => tmc('status'));
    const lsRemote = await median(() => git('ls-remote', 'origin', 'refs/tmc-orch/claims/*'));
    await tmc('release', 'w0');
    rows.push({ mode, claim, status, lsRemote });
  }
  const base = rows[0];
  console.log(`median of ${runs} runs, ms (ratio to local mode)`);
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(20)} claim+release ${r.claim.toFixed(0).padStart(5)} (${(r.claim / base.claim).toFixed(2)}x)` +
        `  status ${r.status.toFixed(0).padStart(5)} (${(r.status / base.status).toFixed(2)}x)` +
        `  raw ls-remote ${r.lsRemote.toFixed(0).padStart(4)}`,
    );
  }
} finally {
  if (daemon?.pid) {
    try {
      process.kill(-daemon.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(root, { recursive: true, force: true });
}
