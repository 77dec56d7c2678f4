import { describe, expect, it } from 'vitest';
import { stackOrder } from '../../src/stack/order.js';

describe('stackOrder', () => {
  it('puts each part after the parts below it, and keeps the given order otherwise', () => {
    const stack = new Map([
      ['x-3', { parent: 'x-2' }],
      ['x-2', { parent: 'x-1' }],
    ]);
    const list = ['x-3', 'other', 'x-2', 'x-1', null].map((branch) => ({ branch }));
    expect(stackOrder(list, stack).map((w) => w.branch)).toEqual([
      'other',
      'x-1',
      null,
      'x-2',
      'x-3',
    ]);
  });

  it('ends on a loop in the records', () => {
    const stack = new Map([
      ['a', { parent: 'b' }],
      ['b', { parent: 'a' }],
    ]);
    expect(stackOrder([{ branch: 'a' }, { branch: 'b' }], stack)).toHaveLength(2);
  });
});
