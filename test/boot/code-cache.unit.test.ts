import { describe, expect, it } from 'vitest';
import { cacheFileName, cacheFolders, commandWord } from '../../src/boot/code-cache.js';

describe('the code cache of a command line', () => {
  it('is named by the command, past global options and their values', () => {
    expect(commandWord(['lines', 'HEAD'])).toBe('lines');
    expect(commandWord(['--json', '-C', 'somewhere', '--agent', 'agent-1', 'status'])).toBe(
      'status',
    );
    expect(commandWord(['hook', 'pre-push', 'origin'])).toBe('hook');
    expect(commandWord(['--help'])).toBe('none');
    expect(commandWord([])).toBe('none');
  });

  it('never takes a name from a word that is no command name', () => {
    for (const word of ['../../etc', 'A', 'x'.repeat(40), 'lines/../x', 'résumé', '']) {
      expect(commandWord([word])).toBe('other');
    }
  });

  it('lives beside the program, else in the user cache folder', () => {
    expect(cacheFolders('/opt/t/dist/bundle', { XDG_CACHE_HOME: '/c' }, '/home/u')).toEqual([
      '/opt/t/dist/bundle/.cache',
      '/c/tmc-orch',
    ]);
    // A relative XDG_CACHE_HOME is to be ignored, as the XDG spec says.
    expect(cacheFolders('/b', { XDG_CACHE_HOME: 'rel' }, '/home/u')).toEqual([
      '/b/.cache',
      '/home/u/.cache/tmc-orch',
    ]);
  });

  it("names the program's hash, the Node and the command", () => {
    expect(cacheFileName('abc', { version: 'v20.1.0', arch: 'x64' }, 'lines')).toBe(
      'abc-v20.1.0-x64-lines.v8cache',
    );
  });
});
