#!/usr/bin/env node
// The start-up and spawn budget of issue 10, every figure of its table as a ratio against what
// any implementation pays (a bare `node -e 0`, raw git), with and without NODE_EXTRA_CA_CERTS
// (Node 20 parses the whole CA bundle at start-up when it is set, which hides our own cost).
//
//   npm run bench -- startup                             # the whole table (minutes)
//   npm run bench -- startup --quick                     # small repos, few rounds
//   npm run bench -- startup --kcp /path/to/kcp-clone    # `lines` on kcp's last 30 merged PRs
//                                                        # (without: on a kcp-like repo of its own)
//   npm run bench -- startup --bin /tmp/old/bin/tmc-orch.js --bin bin/tmc-orch.js   # side by side
//
// Runs are paired: each round runs every variant once, in a rotating order, so that a change of
// machine load hits all of them alike; figures are medians, printed next to the load average.
// With two or more --bin, `lines --json` of every PR must be byte-identical across the builds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, write } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const values = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
const QUICK = flag('--quick');
const BINS = (values('--bin').length ? values('--bin') : [path.join(ROOT, 'bin/tmc-orch.js')]).map(
  (b) => path.resolve(b),
);
const ROUNDS = Number(values('--rounds')[0] ?? (QUICK ? 5 : 21));
const KCP = values('--kcp')[0];
const PRS = Number(values('--prs')[0] ?? 30);
const ONLY = values('--only'); // version, lines, status, forecast, package
const CA_BUNDLE = process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt';
const CA_MODES = values('--ca')[0] ?? 'both'; // on, off, both
const wanted = (section) => ONLY.length === 0 || ONLY.includes(section);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tmc-orch-bench-startup-'));
const gitconfig = path.join(tmp, 'gitconfig');
writeFileSync(
  gitconfig,
  '[user]\n\tname = Bench\n\temail = bench@example.invalid\n[gc]\n\tauto = 0\n[commit]\n\tgpgsign = false\n',
);
const baseEnv = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };
delete baseEnv.NODE_EXTRA_CA_CERTS;
baseEnv.NO_COLOR = '1';
const caModes = [
  ...(CA_MODES !== 'on' ? [{ name: 'without NODE_EXTRA_CA_CERTS', env: baseEnv }] : []),
  ...(CA_MODES !== 'off' && existsSync(CA_BUNDLE)
    ? [{ name: `with NODE_EXTRA_CA_CERTS`, env: { ...baseEnv, NODE_EXTRA_CA_CERTS: CA_BUNDLE } }]
    : []),
];

function run(cmd, argv, { cwd = tmp, env = baseEnv, ok = [0] } = {}) {
  const r = spawnSync(cmd, argv, { cwd, env, maxBuffer: 1 << 30 });
  if (!ok.includes(r.status)) {
    throw new Error(`${cmd} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r.stdout;
}
const git = (cwd, ...argv) => run('git', argv, { cwd }).toString('utf8');

/**
 * CPU time (user + system) of the waited-for children, in ms: on a loaded machine wall time
 * measures the queue as much as the program; CPU time does not. Clock ticks of 10 ms: only the
 * mean over many runs is meaningful.
 */
function childCpu() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return NaN;
  }
}

function timed(fn) {
  const cpu = childCpu();
  const start = process.hrtime.bigint();
  fn();
  return { wall: Number(process.hrtime.bigint() - start) / 1e6, cpu: childCpu() - cpu };
}

/**
 * Paired medians: `variants` is { name: () => void }; every round runs each once, the order
 * rotating, after one warm-up round.
 */
function paired(variants, rounds = ROUNDS) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) variants[n]();
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      samples[name].push(timed(variants[name]));
    }
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        wall: median(samples[n].map((s) => s.wall)),
        cpu: samples[n].reduce((sum, s) => sum + s.cpu, 0) / samples[n].length,
      },
    ]),
  );
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const ms = (n) => `${n.toFixed(1).padStart(7)} ms`;
/** A figure and its ratio to the floor, in wall time (median) and CPU time (mean). */
const fig = (t, floor) =>
  `wall ${ms(t.wall)} ${(t.wall / floor.wall).toFixed(2).padStart(5)}×   cpu ${ms(t.cpu)} ${(t.cpu / floor.cpu).toFixed(2).padStart(5)}×`;
const label = (bin) => (BINS.length > 1 ? ` [${path.relative(process.cwd(), bin) || bin}]` : '');
const node = (env) => () => run(process.execPath, ['-e', '0'], { env });
const tool = (bin, env, cwd, argv, ok) => () =>
  run(process.execPath, [bin, ...argv], { env, cwd, ok });

function section(title) {
  console.log(`\n## ${title} (load average ${load()}, ${os.availableParallelism()} cores)`);
}

function benchVersion(mode) {
  const variants = { 'node -e 0': node(mode.env) };
  for (const bin of BINS)
    variants[`--version${label(bin)}`] = tool(bin, mode.env, tmp, ['--version']);
  variants[`--help${label(BINS.at(-1))}`] = tool(BINS.at(-1), mode.env, tmp, ['--help']);
  const m = paired(variants);
  const floor = m['node -e 0'];
  for (const [name, t] of Object.entries(m)) {
    console.log(`  ${name.padEnd(44)} ${fig(t, floor)}`);
  }
}

/** kcp's last PRS merged PRs: the merge commits of the first-parent history of its main. */
function kcpPrs(dir) {
  const main = ['refs/remotes/origin/main', 'refs/heads/main'].find(
    (ref) => spawnSync('git', ['rev-parse', '--verify', '-q', ref], { cwd: dir }).status === 0,
  );
  return git(dir, 'rev-list', '--merges', '--first-parent', `-${PRS}`, main)
    .trim()
    .split('\n')
    .map((m) => ({ base: `${m}^1`, head: `${m}^2` }));
}

function benchLines(mode, repo) {
  const prs = kcpPrs(repo);
  const totals = {};
  const add = (name, t) => {
    const sum = (totals[name] ??= { wall: 0, cpu: 0 });
    sum.wall += t.wall / prs.length;
    sum.cpu += t.cpu / prs.length;
  };
  let identical = 0;
  for (const pr of prs) {
    const floorRun = () => {
      run('git', ['diff', '--numstat', '-M', `${pr.base}...${pr.head}`], {
        cwd: repo,
        env: mode.env,
      });
      node(mode.env)();
    };
    const variants = { floor: floorRun };
    for (const bin of BINS) {
      variants[`lines${label(bin)}`] = tool(bin, mode.env, repo, [
        '--json',
        'lines',
        pr.head,
        '--base',
        pr.base,
      ]);
    }
    const m = paired(variants, Math.max(3, Math.round(ROUNDS / 3)));
    for (const [name, t] of Object.entries(m)) add(name, t);
    if (BINS.length > 1) {
      const outs = BINS.map((bin) =>
        run(process.execPath, [bin, '--json', 'lines', pr.head, '--base', pr.base], {
          env: mode.env,
          cwd: repo,
        }),
      );
      if (outs.every((o) => o.equals(outs[0]))) identical++;
      else console.log(`  DIFFERENT lines --json for ${pr.head} --base ${pr.base}`);
    }
  }
  const floor = totals.floor;
  console.log(`  ${prs.length} PRs, per PR (mean of per-PR figures), ratios to the floor:`);
  for (const [name, t] of Object.entries(totals)) {
    const shown = name === 'floor' ? 'git diff --numstat -M + node -e 0' : name;
    console.log(`  ${shown.padEnd(44)} ${fig(t, floor)}`);
  }
  if (BINS.length > 1)
    console.log(`  lines --json byte-identical across builds: ${identical}/${prs.length}`);
}

const GENERATED = '// Code generated by client-gen. DO NOT EDIT.\n\n';
const goBody = (n, tag) => Array.from({ length: n }, (_, i) => `\t_ = "${tag} ${i}"\n`).join('');

/**
 * A stand-in for kcp when no clone is given (CI): its layout at a smaller scale (a third
 * generated Go files, hand-written Go, CRDs, docs), with `prs` PRs merged into main the way
 * GitHub merges them, each changing a few files of each kind as kcp's PRs mostly do.
 */
function makeLinesRepo(files, prs) {
  const dir = path.join(tmp, 'kcp-like');
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  const go = (i, tag, generated) =>
    `${generated ? GENERATED : '// Copyright The Authors.\n\n'}package p\n\nfunc f() {\n${goBody(30, tag)}}\n`;
  const gen = (i) => `pkg/client/g${i % 40}/zz_generated.deepcopy${i}.go`;
  const hand = (i) => `pkg/ctrl/c${i % 40}/f${i}.go`;
  const third = Math.floor(files / 3);
  for (let i = 0; i < third; i++) {
    write(dir, gen(i), go(i, `g${i}`, true));
    write(dir, hand(i), go(i, `h${i}`, false));
    write(dir, `config/crds/crd${i}.yaml`, `kind: CustomResourceDefinition\n${goBody(20, 'crd')}`);
  }
  write(
    dir,
    '.tmc-orch.json',
    JSON.stringify({ remote: '', lines: { generated: { presets: ['kcp'] } } }),
  );
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  for (let p = 0; p < prs; p++) {
    git(dir, 'checkout', '-q', '-b', `pr-${p}`);
    for (let k = 0; k < 1 + (p % 6); k++) {
      const i = (p * 7 + k * 13) % third;
      write(dir, hand(i), go(i, `pr${p}-${k}`, false));
      if (k % 2 === 0) write(dir, gen(i), go(i, `pr${p}-${k}`, true));
    }
    git(dir, 'commit', '-q', '-am', `pr ${p}`);
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--no-ff', '-m', `Merge pr-${p}`, `pr-${p}`);
  }
  return dir;
}

const fileText = (first) =>
  `${first}\n` + Array.from({ length: 49 }, (_, k) => `line ${k + 1}\n`).join('');

/**
 * A repo with a bare remote and `count` worktrees each one commit ahead: with `shared`, every
 * worktree edits the same line of one file, else pairs (0,1), (2,3)… up to a quarter of them do.
 */
function makeRepo(count, shared) {
  const dir = path.join(tmp, `repo-${count}-${shared ? 'shared' : 'mixed'}`);
  const main = path.join(dir, 'repo');
  mkdirSync(main, { recursive: true });
  git(dir, 'init', '-q', '--bare', '-b', 'main', 'remote.git');
  git(main, 'init', '-q', '-b', 'main');
  for (let d = 0; d < 20; d++) {
    for (let f = 0; f < 10; f++) write(main, `src/pkg${d}/file${f}.go`, fileText('line 0'));
  }
  git(main, 'add', '-A');
  git(main, 'commit', '-q', '-m', 'initial');
  git(main, 'remote', 'add', 'origin', '../remote.git');
  git(main, 'push', '-q', '-u', 'origin', 'main');
  for (let i = 0; i < count; i++) {
    const name = `wt-${String(i).padStart(3, '0')}`;
    const wt = path.join(dir, 'repo-worktrees', name);
    git(main, 'worktree', 'add', '-q', '--no-track', '-b', name, wt, 'origin/main');
    const file = shared
      ? 'src/pkg0/file0.go'
      : i < count / 4
        ? `src/pkg${Math.floor(i / 2) % 20}/file0.go`
        : `src/pkg${i % 20}/own${i}.go`;
    write(wt, file, fileText(`edited by ${name}`));
    if (i % 5 === 0) write(wt, `scratch-${i}.txt`, 'untracked\n');
    git(wt, 'add', '--', file);
    git(wt, 'commit', '-q', '-m', `work in ${name}`);
  }
  return main;
}

const SHELL_LOOP = `
set -e
git worktree list --porcelain | sed -n 's/^worktree //p' | while IFS= read -r wt; do
  git -C "$wt" status --porcelain
  git -C "$wt" rev-list --left-right --count origin/main...HEAD
done
`;

function benchStatus(mode, repos) {
  for (const [count, main] of repos) {
    const variants = {
      'shell loop (status + rev-list)': () =>
        run('bash', ['-c', SHELL_LOOP], { cwd: main, env: mode.env }),
    };
    for (const bin of BINS) {
      variants[`status --no-conflicts${label(bin)}`] = tool(bin, mode.env, main, [
        '--json',
        'status',
        '--no-conflicts',
      ]);
    }
    const m = paired(variants, Math.max(3, Math.round(ROUNDS / 2)));
    const floor = m['shell loop (status + rev-list)'];
    console.log(`  ${count} worktrees:`);
    for (const [name, t] of Object.entries(m)) {
      console.log(`    ${name.padEnd(42)} ${fig(t, floor)}`);
    }
  }
}

function benchForecast(mode, main, count) {
  const variants = {};
  for (const bin of BINS) {
    variants[`--no-conflicts${label(bin)}`] = tool(bin, mode.env, main, [
      '--json',
      'status',
      '--no-conflicts',
    ]);
    variants[`forecast${label(bin)}`] = tool(bin, mode.env, main, ['--json', 'status']);
  }
  const m = paired(variants, QUICK ? 1 : 3);
  console.log(`  ${count} worktrees all touching one file:`);
  for (const bin of BINS) {
    const with_ = m[`forecast${label(bin)}`];
    const without = m[`--no-conflicts${label(bin)}`];
    console.log(
      `    the conflict forecast adds${label(bin).padEnd(30)} wall ${ms(with_.wall - without.wall)}   cpu ${ms(with_.cpu - without.cpu)}`,
    );
  }
}

function benchPackage() {
  const [pack] = JSON.parse(
    run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT }).toString('utf8'),
  );
  const maps = pack.files.filter((f) => f.path.endsWith('.map')).reduce((n, f) => n + f.size, 0);
  const license = pack.files.some((f) => /^LICEN[CS]E/i.test(f.path));
  console.log(
    `  tarball ${(pack.size / 1000).toFixed(0)} kB (unpacked ${(pack.unpackedSize / 1000).toFixed(0)} kB, ${pack.entryCount} files), source maps ${(maps / 1000).toFixed(0)} kB, LICENSE ${license ? 'yes' : 'no'}`,
  );
}

try {
  console.log(
    `tmc-orch start-up budget (issue 10): ${QUICK ? 'quick, ' : ''}${ROUNDS} paired rounds, node ${process.version}`,
  );
  for (const bin of BINS) console.log(`  build: ${bin}`);
  const statusRepos = wanted('status')
    ? QUICK
      ? [[8, makeRepo(8, false)]]
      : [8, 40].map((n) => [n, makeRepo(n, false)])
    : [];
  const forecastCount = QUICK ? 10 : 100;
  const linesRepo = wanted('lines')
    ? (KCP ?? makeLinesRepo(QUICK ? 600 : 3500, Math.min(PRS, QUICK ? 6 : 30)))
    : null;
  const forecastRepo = wanted('forecast') ? makeRepo(forecastCount, true) : null;
  for (const mode of caModes) {
    console.log(`\n# ${mode.name}`);
    if (wanted('version')) {
      section('--version and --help vs node -e 0');
      benchVersion(mode);
    }
    if (linesRepo) {
      const what = KCP ? `kcp's last ${PRS}` : "a kcp-like repo's last";
      section(`lines on ${what} merged PRs vs git diff --numstat + node -e 0`);
      benchLines(mode, linesRepo);
    }
    if (statusRepos.length) {
      section('status --no-conflicts vs the shell loop it replaces');
      benchStatus(mode, statusRepos);
    }
    if (forecastRepo) {
      section('conflict forecast');
      benchForecast(mode, forecastRepo, forecastCount);
    }
  }
  if (wanted('package')) {
    section('package (npm pack --dry-run)');
    benchPackage();
  }
  if (!KCP && wanted('lines'))
    console.log('\n(lines on a kcp-like repo; for kcp itself pass --kcp <clone of kcp-dev/kcp>)');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
