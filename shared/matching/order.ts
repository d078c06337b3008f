import { scratchFloat64, scratchInt32 } from './scratch';

/**
 * The indexes 0 … n-1 in order of their keys, ties by index. Non-negative integer keys are
 * counted (when they span a range not much wider than their number) or packed with their index
 * into one double and sorted natively, many times faster than a sort that calls back into a
 * comparator; other keys (or keys too large to pack) use a comparator. The order (and the
 * working arrays) live in the scratch buffers `name`.
 */
export function orderByKey(keys: ArrayLike<number>, name: string): Int32Array {
  const count = keys.length;
  const order = scratchInt32(name, count);
  if (invertPermutation(keys, order)) return order;
  const scale = 2 ** Math.ceil(Math.log2(count + 1));
  let packable = true;
  let largest = 0;
  let smallest = Infinity;
  for (let index = 0; index < count && packable; index++) {
    const key = keys[index]!;
    packable = Number.isInteger(key) && key >= 0;
    if (key > largest) largest = key;
    if (key < smallest) smallest = key;
  }
  if (packable && largest - smallest < 4 * count + 1024) {
    // A counting sort: one pass to count each key, one to place each index after its key's predecessors.
    const starts = scratchInt32(`${name}: counts`, largest - smallest + 2);
    for (let index = 0; index < count; index++) starts[keys[index]! - smallest + 1]!++;
    const cursor = bucketCursors(starts, `${name}: cursor`);
    for (let index = 0; index < count; index++) order[cursor[keys[index]! - smallest]!++] = index;
    return order;
  }
  if (packable && largest * scale + scale <= Number.MAX_SAFE_INTEGER) {
    const packed = scratchFloat64(`${name}: packed`, count);
    for (let index = 0; index < count; index++) packed[index] = keys[index]! * scale + index;
    packed.sort();
    for (let position = 0; position < count; position++) order[position] = packed[position]! % scale;
    return order;
  }
  for (let index = 0; index < count; index++) order[index] = index;
  return order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
}

/**
 * The counting sort's middle step, shared by every bucketing in the matcher: `starts` holds each
 * bucket's count at `starts[bucket + 1]` and becomes where each bucket starts (with the end of
 * the last at `starts[buckets]`). Returns a write cursor per bucket, at its start, in the scratch
 * buffer `name`.
 */
export function bucketCursors(starts: Int32Array, name: string): Int32Array {
  const buckets = starts.length - 1;
  for (let bucket = 0; bucket < buckets; bucket++) starts[bucket + 1]! += starts[bucket]!;
  const cursor = scratchInt32(name, buckets, false);
  cursor.set(starts.subarray(0, buckets));
  return cursor;
}

/** Each value's rank among the distinct values, highest first (0 for the highest), in the scratch buffers `name`. */
export function descendingRanks(values: Float64Array, name: string): Int32Array {
  const distinct = scratchFloat64(`${name}: distinct`, values.length);
  distinct.set(values);
  distinct.sort();
  let unique = 0;
  for (let at = 0; at < distinct.length; at++)
    if (at === 0 || distinct[at] !== distinct[unique - 1]) distinct[unique++] = distinct[at]!;
  const ranks = scratchInt32(name, values.length);
  for (let at = 0; at < values.length; at++) {
    // Binary search for the value among the distinct ones (ascending), then count from the top.
    let low = 0;
    let high = unique - 1;
    const value = values[at]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (distinct[middle]! < value) low = middle + 1;
      else high = middle;
    }
    ranks[at] = unique - 1 - low;
  }
  return ranks;
}

/**
 * When the keys are 0 … n-1 in some order (a table's row numbers, say), their order is the
 * inverse permutation: written into `order` in one pass, and true. False (and `order` to be
 * overwritten) otherwise.
 */
function invertPermutation(keys: ArrayLike<number>, order: Int32Array): boolean {
  order.fill(-1);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    if (!Number.isInteger(key) || key < 0 || key >= keys.length || order[key] !== -1) return false;
    order[key] = index;
  }
  return true;
}
