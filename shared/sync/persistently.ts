/**
 * Retries a write that must not be lost once something irreversible has happened (an email
 * handed to SES): failing the step there would make its retry do the irreversible thing again.
 * Backs off with jitter, from `baseMs` doubling to `maxMs`, for at most `attempts` tries
 * (by default about 10 seconds), then throws the last error.
 */
export async function persistently<T>(
  write: () => Promise<T>,
  { attempts = 8, baseMs = 100, maxMs = 2000, sleep = defaultSleep }: PersistOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
    }
  }
}

export interface PersistOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
