import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three layers, told apart by the file name:
 * - `*.unit.test.ts`: pure functions of data, no repository and no git process. `npm run
 *   test:fast` runs only these, in threads sharing one module graph: seconds, the edit loop.
 * - `*.test.ts`: real repositories in temp dirs, commands through the in-process runner
 *   (test/helpers/run.ts). Their cost is git's: a file makes hundreds to ~1,500 git processes.
 * - `*.e2e.test.ts`: the built binary in processes of its own (exit codes, races, kills, the
 *   pre-push hook under a real git push); `npm test` builds first.
 * `npm test` runs all three.
 */
export default defineConfig({
  test: {
    setupFiles: ['test/helpers/setup.ts'],
    // A file per core, not vitest's default of one fewer: the repository tests wait on git
    // processes more than they compute (on 2 cores the whole suite took 310 s with one worker,
    // 192 s with two).
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
          // Pure tests keep no state between files: one import of src per worker, not per file.
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'repo',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.unit.test.ts'],
          // A process per file: a crash, a hang or a leaked child process stays in its file.
          pool: 'forks',
        },
      },
    ],
  },
});
