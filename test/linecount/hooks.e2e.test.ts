import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runJson } from '../helpers/cli.js';
import {
  configure,
  installLocally,
  lines,
  push as pushWith,
  SYSTEM_PATH,
  tmcOrchOnPath,
  toolsOnlyPath,
} from '../helpers/hooks.js';
import { commitFiles, git, makeRepo, tempDir, writeFile, type TestRepo } from '../helpers/repo.js';

/** git push as a user runs it, from a shell whose PATH has git but no tmc-orch. */
const push = (cwd: string, ...args: string[]) => pushWith(cwd, args);

async function remoteHas(repo: TestRepo, branch: string): Promise<boolean> {
  const result = await execa('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd: repo.remote ?? '',
    reject: false,
  });
  return result.exitCode === 0;
}

async function setup(): Promise<TestRepo> {
  const repo = await makeRepo({ remote: true });
  configure(repo);
  const install = await runCli(['hooks', 'install'], { cwd: repo.main });
  expect(install.exitCode, install.stderr).toBe(0);
  return repo;
}

describe('pre-push hook', () => {
  it('blocks a push at 700 counted lines from a linked worktree and lets 699 through', async () => {
    const repo = await setup();
    const hook = readFileSync(path.join(repo.main, '.git/hooks/pre-push'), 'utf8');
    expect(hook).toContain(`node='${process.execPath}'`);
    expect(hook).toContain(`script='${BIN}'`);
    const wt = path.join(repo.worktreeRoot, 'feat');
    await git(repo.main, 'worktree', 'add', '-q', '-b', 'feat', wt, 'origin/main');
    await commitFiles(wt, { 'a.txt': lines(699), 'go.sum': lines(3000) });
    const ok = await push(wt, 'origin', 'feat');
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/feat: 699 counted lines \(3000 generated excluded\)/);
    await commitFiles(wt, { 'b.txt': 'one more\n' });
    const blocked = await push(wt, 'origin', 'feat');
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toMatch(/push of feat refused: 700 counted lines/);
    expect(blocked.stderr).toMatch(/699\s+a\.txt/);
    expect(blocked.stderr).toMatch(/--no-verify/);
    expect(await git(repo.remote ?? '', 'rev-parse', 'feat')).not.toBe(
      await git(wt, 'rev-parse', 'HEAD'),
    );
  });

  it('gates every branch of a multi-ref push, but not deletions, tags or the base', async () => {
    const repo = await setup();
    await git(repo.main, 'checkout', '-q', '-b', 'small');
    await commitFiles(repo.main, { 's.txt': lines(10) });
    await git(repo.main, 'checkout', '-q', '-b', 'big', 'main');
    await commitFiles(repo.main, { 'b.txt': lines(800) });
    await git(repo.main, 'tag', 'v1');
    const both = await push(repo.main, 'origin', 'small', 'big');
    expect(both.exitCode).not.toBe(0);
    expect(both.stderr).toMatch(/small: 10 counted lines/);
    expect(both.stderr).toMatch(/push of big refused: 800/);
    expect(await remoteHas(repo, 'small')).toBe(false);

    const tag = await push(repo.main, 'origin', 'v1');
    expect(tag.exitCode, tag.stderr).toBe(0);
    const small = await push(repo.main, 'origin', 'small');
    expect(small.exitCode, small.stderr).toBe(0);
    const deletion = await push(repo.main, 'origin', ':small');
    expect(deletion.exitCode, deletion.stderr).toBe(0);
    expect(await remoteHas(repo, 'small')).toBe(false);
    // The base branch itself is not gated.
    const base = await push(repo.main, 'origin', 'big:main');
    expect(base.exitCode, base.stderr).toBe(0);
  });

  it('counts against the remote base even when a local branch is named origin/main', async () => {
    const repo = await setup();
    await git(repo.main, 'branch', 'origin/main');
    await commitFiles(repo.main, { 'big.txt': lines(900) });
    await git(repo.main, 'push', '-q', '--no-verify', 'origin', 'main');
    await git(repo.main, 'checkout', '-q', '-b', 'feat');
    await commitFiles(repo.main, { 'one.txt': lines(1) });
    const pushed = await push(repo.main, 'origin', 'feat');
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    expect(pushed.stderr).toMatch(/feat: 1 counted lines/);
  });

  it('refuses a push whose PR marks its own files generated: the merge base rules judge it', async () => {
    const repo = await setup();
    await git(repo.main, 'checkout', '-q', '-b', 'feat');
    await commitFiles(repo.main, {
      '.gitattributes': '* linguist-generated\n',
      '.generated_files': 'path-prefix src/\n',
      'src/big.txt': lines(5000),
    });
    const blocked = await push(repo.main, 'origin', 'feat');
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toMatch(
      /push of feat refused: 5002 counted lines \(0 generated excluded\)/,
    );
    expect(await remoteHas(repo, 'feat')).toBe(false);
  });

  it('lets an orphan branch (gh-pages) through unjudged, with a one-line note', async () => {
    const repo = await setup();
    await git(repo.main, 'checkout', '-q', '--orphan', 'gh-pages');
    await git(repo.main, 'rm', '-rqf', '--', '.');
    const pages = await commitFiles(repo.main, { 'index.html': lines(900) });
    const pushed = await push(repo.main, 'origin', 'gh-pages');
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const notes = pushed.stderr.split('\n').filter((l) => l.startsWith('tmc-orch:'));
    expect(notes).toEqual([
      'tmc-orch: gh-pages shares no history with the base origin/main, so it is no PR against it: not gated',
    ]);
    expect(await git(repo.remote ?? '', 'rev-parse', 'refs/heads/gh-pages')).toBe(pages);

    // Beside it, a branch over the limit is still refused; in JSON the orphan is a skip.
    await git(repo.main, 'checkout', '-q', '-b', 'big', 'main');
    const big = await commitFiles(repo.main, { 'b.txt': lines(800) });
    const zero = '0'.repeat(40);
    const stdin = [
      `refs/heads/gh-pages ${pages} refs/heads/gh-pages2 ${zero}`,
      `refs/heads/big ${big} refs/heads/big ${zero}`,
      '',
    ].join('\n');
    const gate = await runJson<{
      passed: boolean;
      refs: { skipped: string | null; report: { counted: { lines: number } } | null }[];
    }>(['hook', 'pre-push', 'origin', repo.remote ?? ''], { cwd: repo.main, input: stdin });
    expect(gate.exitCode, gate.stderr).toBe(1);
    expect(gate.json.passed).toBe(false);
    expect(gate.json.refs.map((r) => [r.skipped, r.report?.counted.lines ?? null])).toEqual([
      ['unrelated', null],
      [null, 800],
    ]);
  });

  it('chains a foreign hook with the same arguments and stdin, and uninstall restores it exactly', async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    const hookFile = path.join(repo.main, '.git/hooks/pre-push');
    const seen = path.join(repo.root, 'seen.txt');
    const foreign = `#!/bin/sh\necho "args: $*" > '${seen}'\ncat >> '${seen}'\n[ ! -e '${repo.root}/fail' ]\n`;
    writeFileSync(hookFile, foreign);
    chmodSync(hookFile, 0o750);

    const first = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(first.json).toMatchObject({ action: 'chained' });
    const again = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(again.json).toMatchObject({ action: 'unchanged' });

    await git(repo.main, 'checkout', '-q', '-b', 'feat');
    const sha = await commitFiles(repo.main, { 'a.txt': lines(5) });
    const ok = await push(repo.main, 'origin', 'feat');
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(readFileSync(seen, 'utf8')).toBe(
      `args: origin ${repo.remote}\nrefs/heads/feat ${sha} refs/heads/feat ${'0'.repeat(40)}\n`,
    );
    expect(ok.stderr).toMatch(/feat: 5 counted lines/);

    // Either hook failing blocks the push.
    writeFileSync(path.join(repo.root, 'fail'), '');
    await commitFiles(repo.main, { 'a.txt': lines(6) });
    expect((await push(repo.main, 'origin', 'feat')).exitCode).not.toBe(0);

    const removed = await runJson(['hooks', 'uninstall'], { cwd: repo.main });
    expect(removed.json).toMatchObject({ action: 'restored' });
    expect(readFileSync(hookFile, 'utf8')).toBe(foreign);
    expect(statSync(hookFile).mode & 0o777).toBe(0o750);
    expect(existsSync(`${hookFile}.tmc-orch-chained`)).toBe(false);
  });

  it('uninstall removes a hook it installed alone; status reports every worktree', async () => {
    const repo = await setup();
    const wt = path.join(repo.worktreeRoot, 'other');
    await git(repo.main, 'worktree', 'add', '-q', '-b', 'other', wt);
    const status = await runJson<{ worktrees: { worktree: string; runs: boolean }[] }>(
      ['hooks', 'status'],
      { cwd: wt },
    );
    expect(status.json.worktrees.map((w) => [w.worktree, w.runs])).toEqual([
      ['repo', true],
      ['other', true],
    ]);
    // A relative core.hooksPath set for one worktree only takes the gate away there.
    await git(wt, 'config', 'extensions.worktreeConfig', 'true');
    await git(wt, 'config', '--worktree', 'core.hooksPath', 'my-hooks');
    const after = await runJson<{ worktrees: { worktree: string; runs: boolean }[] }>(
      ['hooks', 'status'],
      { cwd: repo.main },
    );
    expect(after.json.worktrees.map((w) => [w.worktree, w.runs])).toEqual([
      ['repo', true],
      ['other', false],
    ]);
    const removed = await runJson(['hooks', 'uninstall'], { cwd: repo.main });
    expect(removed.json).toMatchObject({ action: 'removed' });
    expect(existsSync(path.join(repo.main, '.git/hooks/pre-push'))).toBe(false);
  });

  it('adds the call to .husky/pre-push under husky and removes exactly that', async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    // What husky 9 sets up: core.hooksPath=.husky/_, a stub that runs .husky/<hook>.
    const user = '#!/usr/bin/env sh\necho husky-ran >&2';
    writeFile(repo.main, '.husky/pre-push', user);
    writeFile(
      repo.main,
      '.husky/_/pre-push',
      '#!/usr/bin/env sh\nexec sh -e "$(dirname "$0")/../pre-push" "$@"\n',
    );
    chmodSync(path.join(repo.main, '.husky/_/pre-push'), 0o755);
    await git(repo.main, 'config', 'core.hooksPath', '.husky/_');
    const install = await runJson(['hooks', 'install'], { cwd: repo.main });
    expect(install.json).toMatchObject({ manager: 'husky', action: 'installed' });
    await git(repo.main, 'checkout', '-q', '-b', 'feat');
    await commitFiles(repo.main, { 'a.txt': lines(900) });
    // The committed file calls the tmc-orch found on PATH (or in node_modules/.bin).
    const blocked = await pushWith(repo.main, ['origin', 'feat'], {
      path: `${tmcOrchOnPath()}:${SYSTEM_PATH}`,
    });
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toMatch(/husky-ran/);
    expect(blocked.stderr).toMatch(/refused: 900/);
    await runJson(['hooks', 'uninstall'], { cwd: repo.main });
    expect(readFileSync(path.join(repo.main, '.husky/pre-push'), 'utf8')).toBe(user);
  });

  it('refuses to install over lefthook without --force and prints the lines to add', async () => {
    const repo = await makeRepo();
    writeFile(repo.main, 'lefthook.yml', 'pre-commit: {}\n');
    const refused = await runCli(['hooks', 'install'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/use_stdin: true/);
    expect(existsSync(path.join(repo.main, '.git/hooks/pre-push'))).toBe(false);
    const forced = await runCli(['hooks', 'install', '--force'], { cwd: repo.main });
    expect(forced.exitCode).toBe(0);
  });
});

describe('init', () => {
  it('installs the gate, and turns on the kcp preset in a repository that looks like kcp', async () => {
    const repo = await makeRepo({ remote: true });
    writeFile(repo.main, 'config/crds/a.yaml', 'kind: CustomResourceDefinition\n');
    writeFile(
      repo.main,
      'config/root-phase0/apiresourceschema-a.yaml',
      'kind: APIResourceSchema\n',
    );
    const init = await runJson<{ presets: string[]; hook: { action: string } }>(['init'], {
      cwd: repo.main,
    });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.json.presets).toEqual(['kcp']);
    expect(init.json.hook.action).toBe('installed');
    const written = JSON.parse(readFileSync(path.join(repo.main, '.tmc-orch.json'), 'utf8'));
    expect(written.lines).toEqual({ generated: { presets: ['kcp'] } });
    expect(readFileSync(path.join(repo.main, '.git/hooks/pre-push'), 'utf8')).toContain(
      'hook pre-push',
    );

    const plain = await makeRepo();
    const other = await runJson<{ presets: string[] }>(['init'], { cwd: plain.main });
    expect(other.json.presets).toEqual([]);
  });
});

/**
 * A global (or system) git config file of its own, as a company set-up has: the test run's own
 * global config (test/helpers/setup.ts) plus core.hooksPath.
 */
function companyConfig(hooksFolder: string): string {
  const file = path.join(tempDir('tmc-orch-company-'), 'gitconfig');
  const base = readFileSync(process.env.GIT_CONFIG_GLOBAL ?? '/dev/null', 'utf8');
  writeFileSync(file, `${base}[core]\n\thooksPath = ${hooksFolder}\n`);
  return file;
}

describe('a hooks folder shared beyond the repository (issue 8)', () => {
  it.each([
    ['global', (file: string) => ({ GIT_CONFIG_GLOBAL: file })],
    ['system', (file: string) => ({ GIT_CONFIG_SYSTEM: file, GIT_CONFIG_NOSYSTEM: '' })],
  ])(
    'refuses a core.hooksPath set in the %s config without --force, and init installs nothing there',
    async (scope, envFor) => {
      const repo = await makeRepo({ remote: true });
      const shared = path.join(tempDir('tmc-orch-hooks-'), 'company-hooks');
      const env = envFor(companyConfig(shared));
      const refused = await runJson(['hooks', 'install'], { cwd: repo.main, env });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`core.hooksPath is set in the ${scope} git config`);
      expect(refused.stderr).toContain('every repository');
      expect(refused.stderr).toContain('tmc-orch hooks install --force');
      expect(refused.stderr).toContain(
        `git config core.hooksPath ${path.join(repo.main, '.git', 'hooks')}`,
      );
      expect(existsSync(shared)).toBe(false);

      const init = await runJson<{ hook: unknown; warnings: string[] }>(['init'], {
        cwd: repo.main,
        env,
      });
      expect(init.exitCode, init.stderr).toBe(0);
      expect(init.json.hook).toBeNull();
      expect(init.json.warnings.join('\n')).toContain(`core.hooksPath is set in the ${scope}`);
      expect(existsSync(shared)).toBe(false);
    },
  );

  it('refuses a local core.hooksPath outside the repository without --force', async () => {
    const repo = await makeRepo();
    const outside = path.join(tempDir('tmc-orch-hooks-'), 'hooks');
    await git(repo.main, 'config', 'core.hooksPath', outside);
    const refused = await runCli(['hooks', 'install'], { cwd: repo.main });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`${outside} is outside this repository`);
    expect(existsSync(path.join(outside, 'pre-push'))).toBe(false);
    const forced = await runCli(['hooks', 'install', '--force'], { cwd: repo.main });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(existsSync(path.join(outside, 'pre-push'))).toBe(true);
  });

  it('forced into a global hooks folder, the hook does nothing in a repository without .tmc-orch.json', async () => {
    const shared = path.join(tempDir('tmc-orch-hooks-'), 'company-hooks');
    const env = { GIT_CONFIG_GLOBAL: companyConfig(shared) };
    const ours = await makeRepo({ remote: true });
    configure(ours);
    const forced = await runJson(['hooks', 'install', '--force'], { cwd: ours.main, env });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(existsSync(path.join(shared, 'pre-push'))).toBe(true);

    const unrelated = await makeRepo({ remote: true });
    await git(unrelated.main, 'checkout', '-q', '-b', 'big');
    await commitFiles(unrelated.main, { 'a.txt': lines(900) });
    const allowed = await pushWith(unrelated.main, ['origin', 'big'], { env });
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(allowed.stderr).not.toMatch(/^tmc-orch:/m);

    await git(ours.main, 'checkout', '-q', '-b', 'big');
    await commitFiles(ours.main, { 'a.txt': lines(900) });
    const blocked = await pushWith(ours.main, ['origin', 'big'], { env });
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toMatch(/push of big refused: 900/);
  });
});

/**
 * Runs `hooks install` as another machine would: a node binary at a path of its own (an nvm or
 * Homebrew install), and optionally tmc-orch from a copy of the package elsewhere.
 */
async function installWithNodeAt(cwd: string, options: { copyScript?: boolean } = {}) {
  const dir = tempDir('tmc-orch-node-');
  const node = path.join(dir, 'bin', 'node');
  mkdirSync(path.dirname(node));
  copyFileSync(process.execPath, node);
  chmodSync(node, 0o755);
  let script = BIN;
  if (options.copyScript) {
    // A package of its own whose bin/ is a real file: what the hook records is that path.
    const pkg = path.join(dir, 'lib', 'tmc-orch');
    mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    copyFileSync(BIN, path.join(pkg, 'bin', 'tmc-orch.js'));
    symlinkSync(path.resolve(path.dirname(BIN), '..', 'dist'), path.join(pkg, 'dist'));
    script = path.join(pkg, 'bin', 'tmc-orch.js');
  }
  const result = await execa(node, [script, '--json', 'hooks', 'install'], { cwd, reject: false });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return { node, script, nodeDir: dir };
}

interface StatusRow {
  worktree: string;
  runs: boolean;
  problem: string | null;
  warning: string | null;
}

describe('a node upgrade under the plain hook (issue 8)', () => {
  it('falls back to node on PATH when the recorded node is gone, and status says so', async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    const { node, nodeDir } = await installWithNodeAt(repo.main);
    expect(readFileSync(path.join(repo.main, '.git/hooks/pre-push'), 'utf8')).toContain(
      `node='${node}'`,
    );
    rmSync(nodeDir, { recursive: true, force: true });

    const status = await runJson<{ worktrees: StatusRow[] }>(['hooks', 'status'], {
      cwd: repo.main,
      env: { PATH: `${tmcOrchOnPath()}:${SYSTEM_PATH}` },
    });
    expect(status.json.worktrees[0]).toMatchObject({ runs: true, problem: null });
    expect(status.json.worktrees[0]?.warning).toContain(`node ${node} is gone`);

    const wt = path.join(repo.worktreeRoot, 'feat');
    await git(repo.main, 'worktree', 'add', '-q', '-b', 'feat', wt, 'origin/main');
    await commitFiles(wt, { 'a.txt': lines(699) });
    const path_ = `${tmcOrchOnPath()}:${SYSTEM_PATH}`;
    const ok = await pushWith(wt, ['origin', 'feat'], { path: path_ });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr).toContain(`${node} is gone`);
    expect(ok.stderr).toMatch(/feat: 699 counted lines/);
    await commitFiles(wt, { 'b.txt': 'one more\n' });
    const blocked = await pushWith(wt, ['origin', 'feat'], { path: path_ });
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toMatch(/push of feat refused: 700 counted lines/);
  });

  it("runs the project's node_modules/.bin/tmc-orch when the recorded script is gone too", async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    installLocally(repo.main);
    const { nodeDir } = await installWithNodeAt(repo.main, { copyScript: true });
    rmSync(nodeDir, { recursive: true, force: true });
    await git(repo.main, 'checkout', '-q', '-b', 'big');
    await commitFiles(repo.main, { 'a.txt': lines(800) });
    const blocked = await pushWith(repo.main, ['origin', 'big'], {
      path: `${tmcOrchOnPath()}:${SYSTEM_PATH}`,
    });
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr).toContain('node_modules/.bin/tmc-orch');
    expect(blocked.stderr).toMatch(/push of big refused: 800/);
  });

  it('refuses the push with the fix when nothing can run the gate, and status says broken', async () => {
    const repo = await makeRepo({ remote: true });
    configure(repo);
    const { node, script, nodeDir } = await installWithNodeAt(repo.main, { copyScript: true });
    rmSync(nodeDir, { recursive: true, force: true });
    const bare = await toolsOnlyPath();

    const status = await runJson<{ worktrees: StatusRow[] }>(['hooks', 'status'], {
      cwd: repo.main,
      env: { PATH: bare },
    });
    expect(status.json.worktrees[0]).toMatchObject({ runs: false });
    expect(status.json.worktrees[0]?.problem).toContain(`broken: node ${node} is gone`);
    expect(status.json.worktrees[0]?.problem).toContain('tmc-orch hooks install');

    await git(repo.main, 'checkout', '-q', '-b', 'small');
    await commitFiles(repo.main, { 'a.txt': lines(3) });
    const refused = await pushWith(repo.main, ['origin', 'small'], { path: bare });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(`${script} is gone`);
    expect(refused.stderr).toContain('tmc-orch hooks install');
    expect(refused.stderr).toContain('--no-verify');

    // Where the gate has nothing to do, a missing tmc-orch blocks nothing.
    rmSync(path.join(repo.main, '.tmc-orch.json'));
    const unconfigured = await pushWith(repo.main, ['origin', 'small'], { path: bare });
    expect(unconfigured.exitCode, unconfigured.stderr).toBe(0);
    expect(unconfigured.stderr).not.toMatch(/^tmc-orch:/m);
  });
});
