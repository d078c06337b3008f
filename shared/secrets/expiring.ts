/**
 * A value loaded on first use and kept for `ttlMs`, so that a rotated secret is picked up within
 * minutes. A failed load is never kept: with no value yet the call fails and the next one tries
 * again; with a value loaded before, that value keeps serving (Secrets Manager failing for a
 * moment must not take the API down) and the next call tries again. `refresh` forgets the value
 * (after Assembly refuses the client secret, say).
 */
export class Expiring<T> {
  private good: { value: T; loadedAt: number } | undefined;
  private loading: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.good && this.now() - this.good.loadedAt < this.ttlMs) return Promise.resolve(this.good.value);
    this.loading ??= this.load().then(
      (value) => {
        this.good = { value, loadedAt: this.now() };
        this.loading = undefined;
        return value;
      },
      (error: unknown) => {
        this.loading = undefined;
        if (this.good) return this.good.value;
        throw error;
      },
    );
    return this.loading;
  }

  refresh(): void {
    this.good = undefined;
  }
}
