#!/usr/bin/env node
// Benchmark of `tmc-orch status --json` against the shell loop it replaces (`git status
// --porcelain` and `git rev-list --left-right --count` per worktree). Run after `npm run build`:
//   node bench/status.js [--rounds N] [--worktrees 8,40]
// Prints the median wall time of each, the ratio (aim: <= 1.0 at 8 worktrees without the
// conflict check) and what the conflict check adds (aim: <= 1 s at 40 worktrees).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { write } from './common.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/tmc-orch.js');
const roundsFlag = process.argv.indexOf('--rounds');
const ROUNDS = roundsFlag === -1 ? 9 : Number(process.argv[roundsFlag + 1]);
const sizesFlag = process.argv.indexOf('--worktrees');
const SIZES = (sizesFlag === -1 ? '8,40' : process.argv[sizesFlag + 1]).split(',').map(Number);

const root = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-bench-'));
const gitconfig = path.join(root, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[gc]\n\tauto = 0\n[commit]\n\tgpgsign = false\n',
);
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
};

const git = (cwd, ...args) => execa('git', args, { cwd, env });

/** A repo with a bare remote, `count` worktrees each one commit ahead, and conflicting pairs. */
async function makeBenchRepo(count) {
  const dir = path.join(root, `repo-${count}`);
  const main = path.join(dir, 'repo');
  mkdirSync(main, { recursive: true });
  await git(dir, 'init', '-q', '--bare', '-b', 'main', 'remote.git');
  await git(main, 'init', '-q', '-b', 'main');
  // A project of a realistic small size: 200 files in 20 folders.
  for (let d = 0; d < 20; d++) {
    for (let f = 0; f < 10; f++) {
      write(
        main,
        `src/pkg${d}/file${f}.go`,
        Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(''),
      );
    }
  }
  await git(main, 'add', '-A');
  await git(main, 'commit', '-q', '-m', 'initial');
  await git(main, 'remote', 'add', 'origin', '../remote.git');
  await git(main, 'push', '-q', '-u', 'origin', 'main');
  for (let i = 0; i < count; i++) {
    const name = `wt-${String(i).padStart(2, '0')}`;
    const wt = path.join(dir, 'repo-worktrees', name);
    await git(main, 'worktree', 'add', '-q', '--no-track', '-b', name, wt, 'origin/main');
    // Pairs (0,1), (2,3)... up to a quarter of the worktrees edit the same line of one file;
    // the others edit files of their own.
    const pair = Math.floor(i / 2);
    const file = i < count / 4 ? `src/pkg${pair % 20}/file0.go` : `src/pkg${i % 20}/own${i}.go`;
    write(
      wt,
      file,
      `edited by ${name}\n` + Array.from({ length: 49 }, (_, k) => `line ${k + 1}\n`).join(''),
    );
    if (i % 5 === 0) write(wt, `scratch-${i}.txt`, 'untracked\n');
    await git(wt, 'add', '--', file);
    await git(wt, 'commit', '-q', '-m', `work in ${name}`);
  }
  // The base moves on, conflicting with the first pair.
  write(
    main,
    'src/pkg0/file0.go',
    'edited on main\n' + Array.from({ length: 49 }, (_, k) => `line ${k + 1}\n`).join(''),
  );
  await git(main, 'commit', '-q', '-am', 'main moves on');
  await git(main, 'push', '-q');
  return main;
}

const BASELINE = `
set -e
git worktree list --porcelain | sed -n 's/^worktree //p' | while IFS= read -r wt; do
  git -C "$wt" status --porcelain
  git -C "$wt" rev-list --left-right --count origin/main...HEAD
done
`;

async function time(fn) {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function median(fn) {
  await fn(); // warm-up: page cache, index stat info
  const samples = [];
  for (let i = 0; i < ROUNDS; i++) samples.push(await time(fn));
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const tool =
  (cwd, ...args) =>
  async () => {
    const r = await execa(process.execPath, [BIN, '--json', 'status', ...args], { cwd, env });
    JSON.parse(r.stdout);
  };
const baseline = (cwd) => async () => {
  await execa('bash', ['-c', BASELINE], { cwd, env });
};

const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;
try {
  console.log(
    `tmc-orch status vs shell loop, median of ${ROUNDS} runs, ${os.availableParallelism()} cores`,
  );
  const floor = await median(async () => {
    await execa(process.execPath, [BIN, '--version'], { env });
  });
  console.log(`startup floor: tmc-orch --version ${fmt(floor)} (node + module loading, no git)`);
  for (const count of SIZES) {
    const main = await makeBenchRepo(count);
    // The first status counts every worktree's PR lines; later ones find them cached.
    const cold = await time(tool(main, '--no-conflicts'));
    const shell = await median(baseline(main));
    const fast = await median(tool(main, '--no-conflicts'));
    const full = await median(tool(main));
    const check = await execa(process.execPath, [BIN, '--json', 'status'], { cwd: main, env });
    const pairs =
      JSON.parse(check.stdout).worktrees.reduce((n, w) => n + w.conflicts.withWorktrees.length, 0) /
      2;
    console.log(`\n${count} worktrees (+ main), ${pairs} conflicting pairs forecast`);
    console.log(`  shell loop (status + rev-list)   ${fmt(shell)}`);
    console.log(`  first tmc-orch status (counts PR lines, none cached) ${fmt(cold)}`);
    console.log(
      `  tmc-orch status --no-conflicts   ${fmt(fast)}   ratio ${(fast / shell).toFixed(2)}`,
    );
    console.log(
      `  tmc-orch status (conflicts)      ${fmt(full)}   conflict check adds ${fmt(full - fast)}`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
