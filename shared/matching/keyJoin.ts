import { pairHash } from './pairMap';
import { scratchGrown, scratchInt32 } from './scratch';

/** An entry's fields, at these offsets in a stride of STRIDE numbers. */
const STRIDE = 5;
const HASH = 0;
const A = 1;
const B = 2;
const RECORD = 3;
const LIMIT = 4;

/** No limit on the size of the block a key may be joined with. */
export const UNLIMITED = 0x7fffffff;

/**
 * Blocking keys (two non-negative 31-bit integers) and the records that carry them, gathered
 * record by record: all of one record's keys are added before the next record's.
 */
export class KeyList {
  length = 0;
  data: Int32Array;
  /** Where the current record's keys begin. */
  private recordStart = 0;

  /** The list lives in the scratch buffer `name` (see scratch.ts). */
  constructor(
    private readonly name: string,
    expected = 1024,
  ) {
    this.data = scratchInt32(name, STRIDE * Math.max(16, expected));
  }

  /**
   * Adds a key of a record, to be joined only with blocks of at most `limit` records. A record
   * that gives the same key twice (two name parts that sound alike) keeps the first.
   */
  add(a: number, b: number, record: number, limit = UNLIMITED): void {
    const data = this.data;
    if (this.length === 0 || data[(this.length - 1) * STRIDE + RECORD] !== record) this.recordStart = this.length;
    else
      for (let at = this.recordStart * STRIDE; at < this.length * STRIDE; at += STRIDE)
        if (data[at + A] === a && data[at + B] === b) return;
    if (this.length * STRIDE === data.length) this.data = scratchGrown(this.name, data, data.length * 2);
    const at = this.length++ * STRIDE;
    // Hashes are kept to 31 bits, so that they order the same as signed or unsigned numbers.
    this.data[at + HASH] = pairHash(a, b) >>> 1;
    this.data[at + A] = a;
    this.data[at + B] = b;
    this.data[at + RECORD] = record;
    this.data[at + LIMIT] = limit;
  }
}

/**
 * A key list in order of the keys' hash, then key, then the order the records were added in:
 * every key's records lie side by side, in the list's own buffer. Sorting is a radix sort (four
 * passes of 8 bits),
 * which reads and writes memory in order: a hash table of a million keys spends its time
 * waiting on cache misses instead.
 */
export class SortedKeys {
  readonly length: number;
  readonly data: Int32Array;

  constructor(list: KeyList) {
    this.length = list.length;
    let from: Int32Array = list.data.subarray(0, list.length * STRIDE);
    let to: Int32Array = scratchInt32('keys: sorting', from.length);
    const counts = new Int32Array(RADIX_PASSES * RADIX);
    for (let at = 0; at < from.length; at += STRIDE) {
      const hash = from[at + HASH]!;
      for (let pass = 0; pass < RADIX_PASSES; pass++) counts[pass * RADIX + ((hash >>> (pass * RADIX_BITS)) & RADIX_MASK)]!++;
    }
    for (let pass = 0; pass < RADIX_PASSES; pass++) {
      const shift = pass * RADIX_BITS;
      const cursor = counts.subarray(pass * RADIX, (pass + 1) * RADIX);
      for (let digit = 0, start = 0; digit < RADIX; digit++) {
        const count = cursor[digit]!;
        cursor[digit] = start;
        start += count;
      }
      for (let at = 0; at < from.length; at += STRIDE) {
        const target = cursor[(from[at + HASH]! >>> shift) & RADIX_MASK]!++ * STRIDE;
        to[target] = from[at]!;
        to[target + 1] = from[at + 1]!;
        to[target + 2] = from[at + 2]!;
        to[target + 3] = from[at + 3]!;
        to[target + 4] = from[at + 4]!;
      }
      [from, to] = [to, from];
    }
    // The sorted keys end in the list's own buffer (the scratch buffer is shared by every sort).
    if (RADIX_PASSES % 2) to.set(from);
    this.data = list.data.subarray(0, list.length * STRIDE);
    this.separateCollisions();
  }

  /** Different keys with the same hash (rare) are put in key order, keeping record order within each key. */
  private separateCollisions(): void {
    const data = this.data;
    for (let start = 0; start < this.length;) {
      const hash = data[start * STRIDE + HASH]!;
      let end = start + 1;
      let mixed = false;
      for (; end < this.length && data[end * STRIDE + HASH] === hash; end++) {
        mixed ||= data[end * STRIDE + A] !== data[start * STRIDE + A] || data[end * STRIDE + B] !== data[start * STRIDE + B];
      }
      if (mixed) {
        const run = data.slice(start * STRIDE, end * STRIDE);
        const entries = Array.from({ length: end - start }, (_, index) => index);
        entries.sort(
          (x, y) => run[x * STRIDE + A]! - run[y * STRIDE + A]! || run[x * STRIDE + B]! - run[y * STRIDE + B]! || x - y,
        );
        entries.forEach((entry, offset) =>
          data.set(run.subarray(entry * STRIDE, (entry + 1) * STRIDE), (start + offset) * STRIDE),
        );
      }
      start = end;
    }
  }
}

const RADIX_BITS = 8;
const RADIX_PASSES = 4;
const RADIX = 1 << RADIX_BITS;
const RADIX_MASK = RADIX - 1;

/** Record pairs (left, right) in flat growable columns. */
export class PairList {
  length = 0;
  left: Int32Array;
  right: Int32Array;

  /** The columns live in the scratch buffers `name: left` and `name: right`. */
  constructor(
    private readonly name: string,
    expected = 1024,
  ) {
    this.left = scratchInt32(`${name}: left`, Math.max(16, expected));
    this.right = scratchInt32(`${name}: right`, Math.max(16, expected));
  }

  push(left: number, right: number): void {
    if (this.length === this.left.length) {
      this.left = scratchGrown(`${this.name}: left`, this.left, this.length * 2);
      this.right = scratchGrown(`${this.name}: right`, this.right, this.length * 2);
    }
    this.left[this.length] = left;
    this.right[this.length++] = right;
  }
}

/**
 * Every pair of a left record and a right record that share a key, where the right records
 * with that key number no more than the left key's limit: a merge of two sorted lists. A pair
 * that shares several keys appears once per key.
 */
export function joinKeys(left: SortedKeys, right: SortedKeys, into: PairList): PairList {
  const l = left.data;
  const r = right.data;
  const rightEnd = right.length * STRIDE;
  // The right block of the key last looked up: [blockStart, blockEnd) in entries × STRIDE.
  let blockStart = 0;
  let blockEnd = 0;
  for (let at = 0; at < left.length * STRIDE; at += STRIDE) {
    const hash = l[at + HASH]!;
    const a = l[at + A]!;
    const b = l[at + B]!;
    if (blockEnd === blockStart || r[blockStart + HASH] !== hash || r[blockStart + A] !== a || r[blockStart + B] !== b) {
      // Keys only grow along both lists, so the search continues where the last one ended.
      blockStart = blockEnd;
      while (blockStart < rightEnd && compareKey(r, blockStart, hash, a, b) < 0) blockStart += STRIDE;
      blockEnd = blockStart;
      while (blockEnd < rightEnd && compareKey(r, blockEnd, hash, a, b) === 0) blockEnd += STRIDE;
      if (blockEnd === blockStart) continue;
    }
    if ((blockEnd - blockStart) / STRIDE > l[at + LIMIT]!) continue;
    const record = l[at + RECORD]!;
    for (let entry = blockStart; entry < blockEnd; entry += STRIDE) into.push(record, r[entry + RECORD]!);
  }
  return into;
}

function compareKey(data: Int32Array, at: number, hash: number, a: number, b: number): number {
  return data[at + HASH]! - hash || data[at + A]! - a || data[at + B]! - b;
}

/**
 * Pairs grouped by left record (a counting sort): the right records of left record `left` are
 * `right[start[left]]` up to `right[start[left + 1]]`, in the order they were joined.
 */
export function pairsByLeft(pairs: PairList, leftCount: number, name: string): { start: Int32Array; right: Int32Array } {
  const start = scratchInt32(`${name}: start`, leftCount + 1);
  for (let at = 0; at < pairs.length; at++) start[pairs.left[at]! + 1]!++;
  for (let left = 0; left < leftCount; left++) start[left + 1]! += start[left]!;
  const cursor = scratchInt32(`${name}: cursor`, leftCount);
  cursor.set(start.subarray(0, leftCount));
  const right = scratchInt32(`${name}: right`, pairs.length);
  for (let at = 0; at < pairs.length; at++) right[cursor[pairs.left[at]!]!++] = pairs.right[at]!;
  return { start, right };
}
