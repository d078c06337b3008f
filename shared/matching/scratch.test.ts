import { describe, expect, it } from 'vitest';
import { scratchFloat64, scratchGrown, scratchInt32, scratchUint8 } from './scratch';

describe('scratch arrays', () => {
  it('are handed out zeroed, whatever the last user left in the buffer', () => {
    scratchInt32('test: reuse', 100).fill(7);
    expect(Array.from(scratchInt32('test: reuse', 50))).toEqual(new Array(50).fill(0));
    expect(Array.from(scratchInt32('test: reuse', 200))).toEqual(new Array(200).fill(0));
    scratchFloat64('test: floats', 10).fill(-Infinity);
    expect(Array.from(scratchFloat64('test: floats', 10))).toEqual(new Array(10).fill(0));
    scratchUint8('test: bytes', 10).fill(1);
    expect(Array.from(scratchUint8('test: bytes', 10))).toEqual(new Array(10).fill(0));
  });

  it('skip the zeroing only when asked (for arrays written in full before they are read)', () => {
    scratchInt32('test: stale', 4).fill(9);
    expect(Array.from(scratchInt32('test: stale', 4, false))).toEqual([9, 9, 9, 9]);
    scratchFloat64('test: stale floats', 2).fill(1.5);
    expect(Array.from(scratchFloat64('test: stale floats', 2, false))).toEqual([1.5, 1.5]);
  });

  it('reuse one buffer per name, and keep their contents when grown', () => {
    const first = scratchInt32('test: same', 64);
    expect(scratchInt32('test: same', 32).buffer).toBe(first.buffer);
    expect(scratchInt32('test: other', 32).buffer).not.toBe(first.buffer);
    const small = scratchInt32('test: grows', 4);
    small.set([1, 2, 3, 4]);
    const bigger = scratchGrown('test: grows', small, 8);
    expect(Array.from(bigger)).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
    expect(scratchInt32('test: grows', 8).buffer).toBe(bigger.buffer);
  });
});
