import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach } from 'vitest';
import type { Cluster } from './fixtures.js';
import { git } from './repo.js';

/** The git transport between the machines of a cluster (see fixtures.ts): daemon, hooks, refs. */

/** Points every machine's origin at `url`. */
export async function setOrigin(c: Cluster, url: string): Promise<void> {
  for (const m of c.machines) await git(m.main, 'remote', 'set-url', 'origin', url);
}

/** A server-side hook of the bare remote (e.g. a pre-receive that sleeps). */
export function serverHook(c: Cluster, name: string, script: string): void {
  const dir = path.join(c.remote, 'hooks');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Daemon {
  url: string;
  port: number;
  /** SIGKILLs the daemon and every process it started (a network cut, mid-push included). */
  kill(): void;
}

const daemons: ResultPromise[] = [];

afterEach(() => {
  for (const d of daemons.splice(0)) killGroup(d);
});

function killGroup(d: ResultPromise): void {
  try {
    if (d.pid !== undefined) process.kill(-d.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Serves the cluster's remote with `git daemon` (push enabled) on `port` (default: a free one). */
export async function startDaemon(c: Cluster, port?: number): Promise<Daemon> {
  const p = port ?? (await freePort());
  const base = path.dirname(c.remote);
  const d = execa(
    'git',
    [
      'daemon',
      `--base-path=${base}`,
      '--export-all',
      '--enable=receive-pack',
      '--listen=127.0.0.1',
      `--port=${p}`,
      '--reuseaddr',
      '--informative-errors',
      base,
    ],
    { detached: true, reject: false, stdio: 'ignore' },
  );
  daemons.push(d);
  const url = `git://127.0.0.1:${p}/${path.basename(c.remote)}`;
  for (let i = 0; i < 200; i++) {
    const probe = await execa('git', ['ls-remote', url], { reject: false });
    if (probe.exitCode === 0) return { url, port: p, kill: () => killGroup(d) };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  killGroup(d);
  throw new Error(`git daemon did not start on port ${p}`);
}

/** The object a ref points at on the remote, or null. */
export async function remoteRef(c: Cluster, ref: string): Promise<string | null> {
  const r = await execa('git', ['rev-parse', '--verify', '-q', ref], {
    cwd: c.remote,
    reject: false,
  });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}
