import { describe, expect, it } from 'vitest';
import { mapConcurrently } from './mapConcurrently';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrently', () => {
  it('returns results in item order, never running more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapConcurrently([30, 5, 20, 1, 10, 2, 8], 3, async (ms, index) => {
      running++;
      most = Math.max(most, running);
      await tick(ms);
      running--;
      return index * 10;
    });
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(most).toBe(3);
  });

  it('starts nothing new after a failure, waits for work in flight, and throws the earliest item’s failure', async () => {
    const started: number[] = [];
    let finished = 0;
    const attempt = mapConcurrently([0, 1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await tick(item === 0 ? 20 : 1);
      finished++;
      if (item === 1 || item === 0) throw new Error(`item ${item}`);
      return item;
    });
    await expect(attempt).rejects.toThrow('item 0');
    expect(started).toEqual([0, 1]);
    expect(finished).toBe(2);
  });

  it('handles no items', async () => {
    expect(await mapConcurrently([], 4, async () => 1)).toEqual([]);
  });
});
