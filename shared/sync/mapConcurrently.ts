/**
 * Runs `work` for every item, at most `limit` at a time, and returns the results in item order.
 * The pipeline's steps make one or two store calls per teacher; awaited one after another, a run
 * of 150 spends seconds waiting on round trips. After a failure no new item is started, the
 * items in flight are waited for, and the failure of the earliest item is thrown, as a loop
 * would throw it; writes already made are safe to repeat (every step is idempotent).
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const failures: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        results[index] = await work(items[index]!, index);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length) throw failures.reduce((first, failure) => (failure.index < first.index ? failure : first)).error;
  return results;
}
