import { describe, expect, it } from 'vitest';
import { persistently } from './persistently';

describe('persistently', () => {
  it('retries a failing write with growing waits until it succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await persistently(
      async () => {
        if (++calls < 4) throw new Error('throttled');
        return 'written';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('written');
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
    waits.forEach((ms, index) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** index);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** index);
    });
  });

  it('gives up after the attempts allowed, throwing the last error', async () => {
    let calls = 0;
    await expect(
      persistently(
        async () => {
          throw new Error(`failure ${++calls}`);
        },
        { attempts: 3, sleep: async () => undefined },
      ),
    ).rejects.toThrow('failure 3');
    expect(calls).toBe(3);
  });
});
