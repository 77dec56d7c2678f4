import { afterEach, describe, expect, it } from 'vitest';
import { InstallError } from '../../src/errors.js';
import { loadExeca, loadYaml, provideImporter } from '../../src/util/external.js';

describe('the libraries the bundle leaves out', () => {
  afterEach(() => provideImporter((specifier) => import(specifier)));

  it('are imported through the importer the process entry provides', async () => {
    const asked: string[] = [];
    provideImporter(async (specifier) => {
      asked.push(specifier);
      return import(specifier);
    });
    expect(typeof (await loadExeca()).execa).toBe('function');
    expect((await loadYaml()).parse('a: 1')).toEqual({ a: 1 });
    expect(asked).toEqual(['execa', 'yaml']);
  });

  it('missing from node_modules, say so and how to reinstall (exit 70)', async () => {
    provideImporter(() =>
      Promise.reject(
        Object.assign(new Error("Cannot find package 'execa'"), { code: 'ERR_MODULE_NOT_FOUND' }),
      ),
    );
    const error = await loadExeca().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).exitCode).toBe(70);
    expect((error as Error).message).toMatch(
      /^execa, which tmc-orch loads .* is not installed; reinstall tmc-orch \(npm install -g tmc-orch/,
    );
  });

  it('any other failure to load is passed on as it is', async () => {
    const failure = new SyntaxError('broken');
    provideImporter(() => Promise.reject(failure));
    await expect(loadYaml()).rejects.toBe(failure);
  });
});
