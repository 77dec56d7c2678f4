#!/usr/bin/env node
// CPU cost of leaving `tmc-orch status --watch` running beside 8 agents. Run after
// `npm run build`:  node bench/watch.js [--seconds N]
// Runs `status --watch --interval 1s` under /usr/bin/time for N seconds (default 30) in a repo
// with 8 worktrees (each a commit ahead, two of them conflicting), stops it with SIGINT, and
// prints the CPU time (user + sys, tmc-orch and every git it ran) per frame, and per hour at the
// default interval of 5s (720 frames). The ratio against a plain `status` is the start-up saved.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers';
import { execa } from 'execa';
import { BIN, benchEnv, runSync, write } from './common.js';

const flag = process.argv.indexOf('--seconds');
const SECONDS = flag === -1 ? 30 : Number(process.argv[flag + 1]);

const root = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-bench-watch-'));
const env = { ...benchEnv, TMC_AGENT: 'bench' };
const git = (cwd, ...args) => runSync('git', ['-c', 'gc.auto=0', ...args], cwd);

const main = path.join(root, 'repo');
mkdirSync(main);
git(main, 'init', '-q', '-b', 'main');
for (let i = 0; i < 50; i++) write(main, `src/f${i}.txt`, `line\n`.repeat(100));
git(main, 'add', '-A');
git(main, 'commit', '-q', '-m', 'initial');
for (let i = 0; i < 8; i++) {
  const wt = path.join(root, 'repo-worktrees', `w${i}`);
  git(main, 'worktree', 'add', '-q', '-b', `w${i}`, wt);
  write(wt, i < 2 ? 'src/f0.txt' : `src/f${i}.txt`, `changed by w${i}\n`);
  git(wt, 'commit', '-q', '-am', `w${i}`);
}

/** CPU seconds (user + sys) of a command line and its children, and its stdout. */
async function cpu(args, stopAfterMs) {
  const child = execa('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, BIN, ...args], {
    cwd: main,
    env,
    reject: false,
  });
  if (stopAfterMs) {
    setTimeout(() => {
      // SIGINT to tmc-orch itself (time's child), as Ctrl-C would send it.
      execa('pkill', ['-INT', '-P', String(child.pid)], { reject: false });
    }, stopAfterMs);
  }
  const result = await child;
  const [, user, sys] = /CPU ([\d.]+) ([\d.]+)/.exec(result.stderr) ?? [];
  return { seconds: Number(user) + Number(sys), stdout: result.stdout };
}

const one = await cpu(['status'], 0);
const watched = await cpu(['status', '--watch', '--interval', '1s'], SECONDS * 1000);
const frames = watched.stdout.split('Ctrl-C stops').length - 1;
const perFrame = watched.seconds / frames;
console.log(`one status (process start included): ${one.seconds.toFixed(3)} s CPU`);
console.log(
  `--watch: ${frames} frames in ${SECONDS} s, ${watched.seconds.toFixed(2)} s CPU, ${perFrame.toFixed(3)} s per frame`,
);
console.log(
  `per hour at --interval 5s (720 frames): ${(perFrame * 720).toFixed(0)} s CPU (${((perFrame * 720) / 36).toFixed(2)} % of one core)`,
);
console.log(`ratio frame / one-shot status: ${(perFrame / one.seconds).toFixed(2)}`);
rmSync(root, { recursive: true, force: true });
