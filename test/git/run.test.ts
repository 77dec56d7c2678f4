import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError } from '../../src/errors.js';
import { runGit, runGitBytes } from '../../src/git/run.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir, type TestRepo } from '../helpers/repo.js';

// The contract of the one spawn path, on real git: argument arrays, a scrubbed environment,
// okCodes, GitError, text or bytes, timeouts, and output to a file for git that must outlive us.
let repo: TestRepo;
beforeEach(async () => {
  repo = await makeRepo();
});
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('runGit', () => {
  it('does not pass on GIT_DIR or GIT_INDEX_FILE from its own environment', async () => {
    process.env.GIT_DIR = '/nonexistent/.git';
    process.env.GIT_INDEX_FILE = '/nonexistent/index';
    // First in the file: gitEnv() is computed once per process, at its first call.
    const { stdout } = await runGit(['rev-parse', '--git-dir'], { cwd: repo.main });
    expect(stdout.trim()).toBe('.git');
  });

  it('passes arguments as they are, with no shell between', async () => {
    const { stdout } = await runGit(['rev-parse', '--sq-quote', '$(echo hi) ; *'], {
      cwd: repo.main,
    });
    expect(stdout).toBe(" '$(echo hi) ; *'\n");
  });

  it('keeps stdout untouched: NULs and the final newline', async () => {
    writeFileSync(path.join(repo.main, 'a b.txt'), 'x\n');
    const { stdout } = await runGit(['ls-files', '-z', '--others'], { cwd: repo.main });
    expect(stdout).toBe('a b.txt\0');
  });

  it('throws GitError with the exit code and stderr when git fails', async () => {
    const error: unknown = await runGit(['rev-parse', '--verify', 'refs/heads/none'], {
      cwd: repo.main,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).gitExitCode).toBe(128);
    expect((error as GitError).stderr).toMatch(/fatal: Needed a single revision/);
  });

  it('returns an exit code listed in okCodes as an answer', async () => {
    const result = await runGit(['diff', '--quiet', '--exit-code', 'HEAD'], {
      cwd: repo.main,
      okCodes: [1],
    });
    expect(result.exitCode).toBe(0);
    writeFileSync(path.join(repo.main, 'README.md'), 'changed\n');
    const changed = await runGit(['diff', '--quiet', '--exit-code'], {
      cwd: repo.main,
      okCodes: [1],
    });
    expect(changed.exitCode).toBe(1);
  });

  it('writes input to stdin', async () => {
    const hashed = await runGit(['hash-object', '--stdin'], { cwd: repo.main, input: 'hello\n' });
    expect(hashed.stdout).toBe('ce013625030ba8dba906f756967f9e9ca394464a\n');
  });

  it('adds per-call environment', async () => {
    const { stdout } = await runGit(['var', 'GIT_AUTHOR_IDENT'], {
      cwd: repo.main,
      env: { GIT_AUTHOR_NAME: 'Per Call', GIT_AUTHOR_EMAIL: 'p@c' },
    });
    expect(stdout).toMatch(/^Per Call <p@c> /);
  });

  it('stops git after timeoutMs and says so', async () => {
    const error: unknown = await runGit(['-c', 'alias.wait=!sleep 30', 'wait'], {
      cwd: repo.main,
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).toMatch(/timed out after 0 s \(stopped\)/);
  });

  it('throws GitError when git cannot be started', async () => {
    const error: unknown = await runGit(['status'], {
      cwd: path.join(repo.main, 'no-such-dir'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).gitExitCode).toBeUndefined();
  });

  it('says git is missing from PATH as a set-up problem (exit 2), not an internal error', async () => {
    for (const args of [['status'], ['demo', path.join(tempDir(), 'demo')]]) {
      const result = await runCli(args, { cwd: repo.main, env: { PATH: tempDir() } });
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr.trim()).toBe(
        'tmc-orch: git was not found on PATH; install git (2.38 or newer) or add it to PATH, then run again',
      );
    }
  });

  it('sends output to outputFile and returns it as stderr', async () => {
    const file = path.join(repo.main, '.git', 'out.txt');
    let pid = 0;
    const result = await runGit(['rev-parse', '--verify', 'HEAD'], {
      cwd: repo.main,
      outputFile: file,
      onSpawn: async (p) => {
        pid = p;
      },
    });
    expect(pid).toBeGreaterThan(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^[0-9a-f]{40}\n$/);
  });
});

describe('runGitBytes', () => {
  it('returns stdout as bytes, not decoded text', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x0a]);
    writeFileSync(path.join(repo.main, 'bin.dat'), bytes);
    const { stdout: id } = await runGit(['hash-object', '-w', 'bin.dat'], { cwd: repo.main });
    const { stdout } = await runGitBytes(['cat-file', 'blob', id.trim()], { cwd: repo.main });
    expect(Buffer.compare(stdout, bytes)).toBe(0);
  });
});
