import { describe, expect, it } from 'vitest';
import { Expiring } from './expiring';

describe('a secret kept for a time', () => {
  it('is read once, then again after its time, so a rotation is picked up', async () => {
    let now = 0;
    let reads = 0;
    const secret = new Expiring(
      async () => `value ${++reads}`,
      1000,
      () => now,
    );

    expect(await secret.get()).toBe('value 1');
    now = 999;
    expect(await secret.get()).toBe('value 1');
    now = 1000;
    expect(await secret.get()).toBe('value 2');
  });

  it('never keeps a failed read: the next use tries again', async () => {
    let reads = 0;
    const secret = new Expiring(
      async () => {
        if (++reads === 1) throw new Error('Secrets Manager is down');
        return 'value';
      },
      60_000,
      () => 0,
    );

    await expect(secret.get()).rejects.toThrow('down');
    expect(await secret.get()).toBe('value');
    expect(reads).toBe(2);
  });

  it('reads again at once after a refresh', async () => {
    let reads = 0;
    const secret = new Expiring(
      async () => ++reads,
      60_000,
      () => 0,
    );
    await secret.get();
    secret.refresh();
    expect(await secret.get()).toBe(2);
  });

  it('keeps serving the last good value while a re-read fails', async () => {
    let now = 0;
    let fail = false;
    const secret = new Expiring(
      async () => {
        if (fail) throw new Error('Secrets Manager is down');
        return 'good';
      },
      1000,
      () => now,
    );
    await secret.get();
    fail = true;
    now = 5000;
    expect(await secret.get()).toBe('good');
  });
});
