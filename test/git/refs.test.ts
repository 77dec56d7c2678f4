import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  compareAndDeleteRef,
  compareAndSwapRef,
  readRefValue,
  readRefValues,
  writeBlob,
} from '../../src/git/index.js';
import { makeRepo } from '../helpers/repo.js';

async function rawBlob(cwd: string, bytes: Buffer): Promise<string> {
  const { stdout } = await execa('git', ['hash-object', '-w', '--stdin'], { cwd, input: bytes });
  return stdout.trim();
}

describe('refs as compare-and-swap registers', () => {
  it('creates only when absent, swaps only from the expected value, deletes only the value seen', async () => {
    const { main } = await makeRepo();
    const a = await writeBlob(main, '{"v":"a"}');
    const b = await writeBlob(main, '{"v":"b"}');
    const ref = 'refs/tmc-orch/test/x';
    expect(await readRefValue(main, ref)).toBeNull();
    expect((await compareAndSwapRef(main, ref, a, null)).swapped).toBe(true);
    expect((await compareAndSwapRef(main, ref, b, null)).swapped).toBe(false);
    expect((await compareAndSwapRef(main, ref, b, b)).swapped).toBe(false);
    expect(await readRefValue(main, ref)).toEqual({ oid: a, content: '{"v":"a"}' });
    expect((await compareAndSwapRef(main, ref, b, a)).swapped).toBe(true);
    expect((await compareAndDeleteRef(main, ref, a)).swapped).toBe(false);
    expect((await compareAndDeleteRef(main, ref, b)).swapped).toBe(true);
    expect(await readRefValue(main, ref)).toBeNull();
  });

  it('lists every value, even next to empty, binary and newline-ending blobs', async () => {
    const { main } = await makeRepo();
    const values: Record<string, Buffer> = {
      a: Buffer.from('{"n":1}'),
      b: Buffer.from(''),
      c: Buffer.from([0xff, 0x00, 0x0a, 0x62, 0x6c, 0x6f, 0x62, 0x20, 0x0a]),
      d: Buffer.from('ends with newlines\n\n'),
      e: Buffer.from('{"task":"é ü"}'),
    };
    for (const [name, bytes] of Object.entries(values)) {
      const oid = await rawBlob(main, bytes);
      expect((await compareAndSwapRef(main, `refs/tmc-orch/test/${name}`, oid, null)).swapped).toBe(
        true,
      );
    }
    const listed = await readRefValues(main, 'refs/tmc-orch/test/');
    const byName = new Map(listed.map((v) => [v.ref.split('/').pop(), v.content]));
    expect(byName.get('a')).toBe('{"n":1}');
    expect(byName.get('b')).toBe('');
    expect(byName.get('d')).toBe('ends with newlines\n\n');
    expect(byName.get('e')).toBe('{"task":"é ü"}');
    expect(byName.has('c')).toBe(true);
    expect(listed).toHaveLength(5);
  });

  it("keeps a value whole when it holds the next value's header line", async () => {
    const { main } = await makeRepo();
    const second = await writeBlob(main, 'second\n');
    // A value whose text holds "<the next object's id> blob ...": a claim's task can say anything.
    const first = await writeBlob(main, `task\n${second} blob 7\nmore\n`);
    // Listed in ref order: the value holding the header comes first.
    expect((await compareAndSwapRef(main, 'refs/tmc-orch/test/a', first, null)).swapped).toBe(true);
    expect((await compareAndSwapRef(main, 'refs/tmc-orch/test/b', second, null)).swapped).toBe(
      true,
    );
    const listed = await readRefValues(main, 'refs/tmc-orch/test/');
    const byOid = new Map(listed.map((v) => [v.oid, v.content]));
    expect(byOid.get(first)).toBe(`task\n${second} blob 7\nmore\n`);
    expect(byOid.get(second)).toBe('second\n');
  });
});
