import { chmodSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import {
  configure,
  HUSKY_BIN,
  installLocally,
  lefthookBin,
  lines,
  push,
  SYSTEM_PATH,
  tmcOrchOnPath,
} from '../helpers/hooks.js';
import { commitFiles, git, makeRepo, tempDir, writeFile, type TestRepo } from '../helpers/repo.js';

/**
 * The gate under the hook managers teams commit to their repositories, each its real package:
 * husky 9 (a devDependency) and lefthook (installed from npm on first use, see lefthookBin), pre-commit from the system (Debian's package;
 * .ci/run installs it). Every case pushes for real to a bare remote from a linked worktree.
 */

/** Runs `hooks install` as another machine would: node at a path of its own. */
async function installFromAnotherMachine(cwd: string) {
  const dir = tempDir('tmc-orch-node-');
  const node = path.join(dir, 'node');
  symlinkSync(process.execPath, node);
  const result = await execa(node, [BIN, '--json', 'hooks', 'install'], { cwd, reject: false });
  return { exitCode: result.exitCode, json: JSON.parse(String(result.stdout)) as unknown };
}

async function linkedWorktree(repo: TestRepo, name: string): Promise<string> {
  const wt = path.join(repo.worktreeRoot, name);
  await git(repo.main, 'worktree', 'add', '-q', '-b', name, wt, 'origin/main');
  return wt;
}

/** Pushes 699 counted lines (allowed) and then 700 (blocked) from `wt`. */
async function expectGated(wt: string, branch: string, pathValue: string, env = {}) {
  await commitFiles(wt, { 'a.txt': lines(699) });
  const ok = await push(wt, ['origin', branch], { path: pathValue, env });
  expect(ok.exitCode, ok.stderr + ok.stdout).toBe(0);
  expect(ok.stderr + ok.stdout).toMatch(new RegExp(`${branch}: 699 counted lines`));
  await commitFiles(wt, { 'b.txt': 'one more\n' });
  const blocked = await push(wt, ['origin', branch], { path: pathValue, env });
  expect(blocked.exitCode).not.toBe(0);
  expect(blocked.stderr + blocked.stdout).toMatch(
    new RegExp(`push of ${branch} refused: 700 counted lines`),
  );
}

interface StatusRow {
  worktree: string;
  manager: string;
  runs: boolean;
  problem: string | null;
}

async function hookStatus(cwd: string, env?: Record<string, string>) {
  const status = await runJson<{ worktrees: StatusRow[] }>(['hooks', 'status'], {
    cwd,
    ...(env ? { env } : {}),
  });
  return status.json.worktrees;
}

interface Refusal {
  error: { managers: { manager: string; file: string; snippet: string; then: string }[] };
}

describe('husky 9', () => {
  async function huskyRepo() {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    writeFile(repo.main, '.gitignore', 'node_modules/\n');
    await execa(process.execPath, [HUSKY_BIN], { cwd: repo.main });
    expect(await git(repo.main, 'config', 'core.hooksPath')).toBe('.husky/_');
    return repo;
  }

  it('writes a committed .husky/pre-push without machine paths: byte for byte the same from another machine', async () => {
    const repo = await huskyRepo();
    const install = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(install.json).toMatchObject({ manager: 'husky', action: 'installed' });
    const file = path.join(repo.main, '.husky/pre-push');
    const written = readFileSync(file, 'utf8');
    expect(written).not.toContain(process.execPath);
    expect(written).not.toContain(path.dirname(BIN));
    expect(written).toContain('node_modules/.bin/tmc-orch');

    const again = await installFromAnotherMachine(repo.main);
    expect(again.json).toMatchObject({ manager: 'husky', action: 'unchanged' });
    expect(readFileSync(file, 'utf8')).toBe(written);
  });

  it("gates a push from a linked worktree, with the project's tmc-orch or the one on PATH", async () => {
    const repo = await huskyRepo();
    await runJson(['hooks', 'install'], { cwd: repo.main });
    await git(repo.main, 'add', '.husky/pre-push', '.gitignore');
    await git(repo.main, 'commit', '-q', '-m', 'husky');
    await git(repo.main, 'push', '-q', '--no-verify', 'origin', 'main');
    await git(repo.main, 'fetch', '-q', 'origin');

    const wt = await linkedWorktree(repo, 'feat');
    // What `npm install` (husky's prepare script) sets up in every checkout.
    await execa(process.execPath, [HUSKY_BIN], { cwd: wt });
    await expectGated(wt, 'feat', `${tmcOrchOnPath()}:${SYSTEM_PATH}`);

    // The project's own copy, found without PATH.
    const other = await linkedWorktree(repo, 'other');
    await execa(process.execPath, [HUSKY_BIN], { cwd: other });
    installLocally(other);
    await expectGated(other, 'other', `${path.dirname(process.execPath)}:${SYSTEM_PATH}`);
    // The main worktree has no node_modules: its pushes need tmc-orch on PATH.
    const status = await hookStatus(repo.main, { PATH: `${tmcOrchOnPath()}:${SYSTEM_PATH}` });
    expect(status.map((r) => [r.worktree, r.manager, r.runs])).toEqual([
      ['repo', 'husky', true],
      ['feat', 'husky', true],
      ['other', 'husky', true],
    ]);
  });

  it('status flags a block with machine paths from an earlier version, and install replaces it', async () => {
    const repo = await huskyRepo();
    const file = path.join(repo.main, '.husky/pre-push');
    const user = '#!/usr/bin/env sh\nnpm test\n';
    writeFile(
      repo.main,
      '.husky/pre-push',
      `${user}# >>> tmc-orch pre-push gate {"created":false,"addedNewline":false}\n'${process.execPath}' '${BIN}' hook pre-push "$@" || exit 1\n# <<< tmc-orch pre-push gate\n`,
    );
    const [row] = await hookStatus(repo.main);
    expect(row).toMatchObject({ manager: 'husky', runs: true });
    expect((row as StatusRow & { warning: string }).warning).toContain('make it portable');
    const install = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(install.json).toMatchObject({ action: 'updated' });
    const written = readFileSync(file, 'utf8');
    expect(written.startsWith(user)).toBe(true);
    expect(written).not.toContain(process.execPath);
    await runJson(['hooks', 'uninstall'], { cwd: repo.main });
    expect(readFileSync(file, 'utf8')).toBe(user);
  });

  it('refuses the push, saying how to install tmc-orch, when it is found nowhere', async () => {
    const repo = await huskyRepo();
    await runJson(['hooks', 'install'], { cwd: repo.main });
    await git(repo.main, 'checkout', '-q', '-b', 'small');
    await commitFiles(repo.main, { 'a.txt': lines(3) });
    const refused = await push(repo.main, ['origin', 'small'], {
      path: `${path.dirname(process.execPath)}:${SYSTEM_PATH}`,
    });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('neither in node_modules/.bin nor on PATH');
    expect(refused.stderr).toContain('npm install --save-dev tmc-orch');
  });
});

describe('a tracked core.hooksPath folder', () => {
  it('holds no machine paths, chains the tracked hook, and uninstall restores it exactly', async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    const seen = path.join(repo.root, 'seen.txt');
    const team = `#!/bin/sh\ncat > '${seen}'\n`;
    writeFile(repo.main, '.githooks/pre-push', team);
    chmodSync(path.join(repo.main, '.githooks/pre-push'), 0o755);
    await git(repo.main, 'add', '.githooks');
    await git(repo.main, 'commit', '-q', '-m', 'team hooks');
    await git(repo.main, 'push', '-q', 'origin', 'main');
    await git(repo.main, 'fetch', '-q', 'origin');
    await git(repo.main, 'config', 'core.hooksPath', '.githooks');

    const install = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(install.json).toMatchObject({ manager: 'git', action: 'chained' });
    const file = path.join(repo.main, '.githooks/pre-push');
    const written = readFileSync(file, 'utf8');
    expect(written).not.toContain(process.execPath);
    expect(written).not.toContain(path.dirname(BIN));
    const again = await installFromAnotherMachine(repo.main);
    expect(again.json).toMatchObject({ action: 'unchanged' });
    expect(readFileSync(file, 'utf8')).toBe(written);

    await git(repo.main, 'add', '.githooks');
    await git(repo.main, 'commit', '-q', '-m', 'gate');
    await git(repo.main, 'push', '-q', '--no-verify', 'origin', 'main');
    await git(repo.main, 'fetch', '-q', 'origin');
    const wt = await linkedWorktree(repo, 'feat');
    await expectGated(wt, 'feat', `${tmcOrchOnPath()}:${SYSTEM_PATH}`);
    expect(readFileSync(seen, 'utf8')).toMatch(/^refs\/heads\/feat [0-9a-f]{40} refs\/heads\/feat/);

    const removed = await runJson(['hooks', 'uninstall'], { cwd: repo.main });
    expect(removed.json).toMatchObject({ action: 'restored' });
    expect(readFileSync(file, 'utf8')).toBe(team);
    expect(statSync(file).mode & 0o777).toBe(0o755);
  });
});

describe('lefthook', () => {
  async function lefthookRepo(config: string) {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    writeFile(repo.main, 'lefthook.yml', config);
    return repo;
  }

  async function commitAndInstall(repo: TestRepo) {
    await git(repo.main, 'add', 'lefthook.yml');
    await git(repo.main, 'commit', '-q', '-m', 'lefthook');
    await git(repo.main, 'push', '-q', 'origin', 'main');
    await git(repo.main, 'fetch', '-q', 'origin');
    await execa(await lefthookBin(), ['install'], { cwd: repo.main });
  }

  it('prints valid YAML; with it lefthook gates every branch pushed from a linked worktree', async () => {
    const repo = await lefthookRepo('pre-commit:\n  commands:\n    lint:\n      run: "true"\n');
    const refused = await runJson<Refusal>(['hooks', 'install'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    const [entry] = refused.json.error.managers;
    expect(entry).toMatchObject({ manager: 'lefthook', then: 'npx lefthook install' });
    const snippet = entry?.snippet ?? '';
    expect(parse(snippet)).toMatchObject({
      'pre-push': { commands: { 'tmc-orch': { use_stdin: true } } },
    });
    expect(snippet).not.toContain(process.execPath);
    expect(refused.stderr).toContain(snippet.trim().split('\n')[0]);

    writeFile(
      repo.main,
      'lefthook.yml',
      `${readFileSync(path.join(repo.main, 'lefthook.yml'), 'utf8')}${snippet}`,
    );
    await commitAndInstall(repo);
    const validate = await execa(await lefthookBin(), ['validate'], {
      cwd: repo.main,
      reject: false,
    });
    expect(validate.exitCode, String(validate.stdout) + String(validate.stderr)).toBe(0);

    const installed = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(installed.json).toMatchObject({ manager: 'lefthook', action: 'unchanged' });

    const wt = await linkedWorktree(repo, 'feat');
    const withTmcOrch = `${tmcOrchOnPath()}:${SYSTEM_PATH}`;
    await expectGated(wt, 'feat', withTmcOrch);

    // Several branches in one push: each is gated, not only the first (nor HEAD).
    await git(wt, 'checkout', '-q', '-b', 'small', 'origin/main');
    await commitFiles(wt, { 's.txt': lines(5) });
    await git(wt, 'checkout', '-q', '-b', 'big', 'origin/main');
    await commitFiles(wt, { 'b.txt': lines(800) });
    await git(wt, 'checkout', '-q', 'small');
    const both = await push(wt, ['origin', 'small', 'big'], { path: withTmcOrch });
    expect(both.exitCode).not.toBe(0);
    expect(both.stderr + both.stdout).toMatch(/push of big refused: 800/);

    const status = await hookStatus(repo.main, { PATH: withTmcOrch });
    expect(status.map((r) => [r.worktree, r.manager, r.runs])).toEqual([
      ['repo', 'lefthook', true],
      ['feat', 'lefthook', true],
    ]);
  });

  it('init, refused by lefthook, prints the snippet to paste line by line, as hooks install does', async () => {
    const repo = await lefthookRepo('pre-commit:\n  commands:\n    lint:\n      run: "true"\n');
    rmSync(path.join(repo.main, '.tmc-orch.json'), { force: true });
    const init = await runCli(['init'], { cwd: repo.main });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stderr).not.toContain('\\n');
    const refused = await runJson<Refusal>(['hooks', 'install'], { cwd: repo.main });
    const snippet = refused.json.error.managers[0]?.snippet ?? '';
    expect(init.stderr).toContain(`add to lefthook.yml:\n${snippet.trimEnd()}\n`);
  });

  it('status says off, with the reason, when lefthook runs the gate without use_stdin', async () => {
    const repo = await lefthookRepo(
      'pre-push:\n  commands:\n    tmc-orch:\n      run: tmc-orch hook pre-push\n',
    );
    await commitAndInstall(repo);
    const [row] = await hookStatus(repo.main);
    expect(row).toMatchObject({ manager: 'lefthook', runs: false });
    expect(row?.problem).toContain('use_stdin: true');
    const refused = await runCli(['hooks', 'install'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('runs the gate without use_stdin: true');
  });

  it('status says off when lefthook.yml runs the gate but lefthook is not installed', async () => {
    const refused = await runJson<Refusal>(['hooks', 'install'], {
      cwd: (await lefthookRepo('pre-commit: {}\n')).main,
    });
    const repo = await lefthookRepo(refused.json.error.managers[0]?.snippet ?? '');
    const [row] = await hookStatus(repo.main);
    expect(row).toMatchObject({ manager: 'lefthook', runs: false });
    expect(row?.problem).toContain('npx lefthook install');
  });
});

describe('pre-commit', () => {
  async function preCommit(cwd: string, args: string[], env: Record<string, string>) {
    const result = await execa('pre-commit', args, { cwd, env, reject: false });
    expect(result.exitCode, `pre-commit ${args.join(' ')}: ${result.stderr}`).toBe(0);
  }

  it('prints a valid config entry and the install command; pre-commit gates the pushed branch, not HEAD', async () => {
    const found = await execa('sh', ['-c', 'command -v pre-commit'], { reject: false });
    expect(
      found.exitCode,
      'pre-commit is not installed: apt-get install -y pre-commit (.ci/run does it)',
    ).toBe(0);
    const env = { PRE_COMMIT_HOME: tempDir('tmc-orch-pre-commit-') };
    const repo = await makeRepo({ remote: true });
    configure(repo);
    writeFile(repo.main, '.pre-commit-config.yaml', 'repos: []\n');
    const refused = await runJson<Refusal>(['hooks', 'install'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    const [entry] = refused.json.error.managers;
    expect(entry).toMatchObject({ manager: 'pre-commit', then: 'pre-commit install -t pre-push' });
    expect(refused.stderr).toContain('pre-commit install -t pre-push');
    const snippet = entry?.snippet ?? '';
    expect(snippet).not.toContain(process.execPath);

    writeFile(repo.main, '.pre-commit-config.yaml', snippet);
    await git(repo.main, 'add', '.pre-commit-config.yaml');
    await git(repo.main, 'commit', '-q', '-m', 'pre-commit');
    await git(repo.main, 'push', '-q', 'origin', 'main');
    await git(repo.main, 'fetch', '-q', 'origin');
    await preCommit(repo.main, ['validate-config'], env);
    const before = await hookStatus(repo.main);
    expect(before[0]).toMatchObject({ manager: 'pre-commit', runs: false });
    expect(before[0]?.problem).toContain('pre-commit install -t pre-push');
    await preCommit(repo.main, ['install', '-t', 'pre-push'], env);

    const installed = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(installed.json).toMatchObject({ manager: 'pre-commit', action: 'unchanged' });

    const wt = await linkedWorktree(repo, 'feat');
    const withTmcOrch = `${tmcOrchOnPath()}:${SYSTEM_PATH}`;
    await expectGated(wt, 'feat', withTmcOrch, env);

    // HEAD stays on a small branch; the big one pushed by name is the one gated.
    await git(wt, 'checkout', '-q', '-b', 'big', 'origin/main');
    await commitFiles(wt, { 'big.txt': lines(900) });
    await git(wt, 'checkout', '-q', 'feat');
    const other = await push(wt, ['origin', 'big'], { path: withTmcOrch, env });
    expect(other.exitCode).not.toBe(0);
    expect(other.stderr + other.stdout).toMatch(/push of big refused: 900/);

    const status = await hookStatus(repo.main, { PATH: withTmcOrch });
    expect(status.map((r) => [r.worktree, r.manager, r.runs])).toEqual([
      ['repo', 'pre-commit', true],
      ['feat', 'pre-commit', true],
    ]);
  });
});

describe('the portable call', () => {
  it('is what the printed snippets run, and a teammate without tmc-orch gets the install command', async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    writeFile(repo.main, 'lefthook.yml', 'pre-commit: {}\n');
    const refused = await runCli(['--json', 'hooks', 'install'], { cwd: repo.main });
    const snippet = (JSON.parse(refused.stdout) as Refusal).error.managers[0]?.snippet ?? '';
    const run = (parse(snippet) as { 'pre-push': { commands: { 'tmc-orch': { run: string } } } })[
      'pre-push'
    ].commands['tmc-orch'].run;
    const script = path.join(repo.root, 'call.sh');
    writeFileSync(script, run);
    const result = await execa('sh', [script], {
      cwd: repo.main,
      reject: false,
      env: { PATH: `${path.dirname(process.execPath)}:${SYSTEM_PATH}` },
      input: '',
    });
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toContain('npm install --save-dev tmc-orch');

    // A repository without .tmc-orch.json has nothing to gate: no tmc-orch is needed there.
    rmSync(path.join(repo.main, '.tmc-orch.json'));
    const unconfigured = await execa('sh', [script], {
      cwd: repo.main,
      reject: false,
      env: { PATH: `${path.dirname(process.execPath)}:${SYSTEM_PATH}` },
      input: '',
    });
    expect(unconfigured.exitCode, String(unconfigured.stderr)).toBe(0);
    expect(String(unconfigured.stderr)).toBe('');
  });
});
