import { describe, expect, it } from 'vitest';
import { firstLine, parsePushPorcelain } from '../../src/remote/transport.js';
import { recordText } from '../../src/claims/ref-store.js';

describe('remote coordination parsers', () => {
  it('reads which refs a porcelain push updated and which it rejected', () => {
    const out = [
      'To git://127.0.0.1:9/remote.git',
      '*\tabc:refs/tmc-orch/claims/w1\t[new reference]',
      '!\t:refs/tmc-orch/claims/w2\t[rejected] (stale info)',
      'Done',
    ].join('\n');
    const parsed = parsePushPorcelain(out);
    expect(parsed.get('refs/tmc-orch/claims/w1')).toEqual({
      ok: true,
      summary: '[new reference]',
    });
    expect(parsed.get('refs/tmc-orch/claims/w2')).toEqual({
      ok: false,
      summary: '[rejected] (stale info)',
    });
  });

  it('reads a claim record from a blob or from the first line of a commit message', () => {
    expect(recordText('{"agent":"a"}')).toBe('{"agent":"a"}');
    const commit =
      'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor x <x> 1 +0000\ncommitter x <x> 1 +0000\n\n{"agent":"a"}\n\ntmc-orch-nonce: 00\n';
    expect(recordText(commit)).toBe('{"agent":"a"}');
    expect(recordText('tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n')).toBe('');
  });

  it('names the cause of a failed connection in one line, the errno of git:// included', () => {
    expect(
      firstLine(
        'fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused\n\n',
      ),
    ).toBe(
      'fatal: unable to connect to 127.0.0.1: 127.0.0.1[0: 127.0.0.1]: errno=Connection refused',
    );
    expect(
      firstLine(
        'ssh: Could not resolve hostname h: Name or service not known\nfatal: Could not read from remote repository.\n',
      ),
    ).toBe('ssh: Could not resolve hostname h: Name or service not known');
    expect(firstLine('')).toBe('');
  });
});
