import { pairHash } from './pairMap';
import { bucketCursors } from './order';
import { scratchGrown, scratchInt32 } from './scratch';

/** An entry's fields, at these offsets in a stride of STRIDE numbers. */
const STRIDE = 5;
const HASH = 0;
const A = 1;
const B = 2;
const RECORD = 3;
const LIMIT = 4;

/** No limit on the size of the block a key may be joined with. */
const UNLIMITED = 0x7fffffff;

/** Where a matcher puts one record's blocking keys: two non-negative 31-bit integers each. */
export interface KeySink {
  /** `maxBlock`: the largest block of the other side worth joining this key with. */
  emit(a: number, b: number, maxBlock?: number): void;
}

/**
 * Blocking keys (two non-negative 31-bit integers) and the records that carry them, gathered
 * record by record: all of one record's keys are added before the next record's.
 */
export class KeyList implements KeySink {
  length = 0;
  data: Int32Array;
  /** Where the current record's keys begin. */
  private recordStart = 0;
  /** The record whose keys `emit` adds. */
  private record = 0;

  /** The list lives in the scratch buffer `name` (see scratch.ts); a key emitted without a limit gets `defaultLimit`. */
  constructor(
    private readonly name: string,
    expected = 1024,
    private readonly defaultLimit = UNLIMITED,
  ) {
    this.data = scratchInt32(name, STRIDE * Math.max(16, expected), false);
  }

  /** Makes `emit` add keys for this record. */
  forRecord(record: number): this {
    this.record = record;
    return this;
  }

  emit(a: number, b: number, maxBlock = this.defaultLimit): void {
    this.add(a, b, this.record, maxBlock);
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
    // Hashes are kept to 31 bits: a key's partition is the top bits of a non-negative number.
    this.data[at + HASH] = pairHash(a, b) >>> 1;
    this.data[at + A] = a;
    this.data[at + B] = b;
    this.data[at + RECORD] = record;
    this.data[at + LIMIT] = limit;
  }
}

/**
 * A key list scattered into partitions by the top bits of each key's hash (stably: record order
 * is kept within a partition). A partition of a few thousand keys, and the hash table built on
 * it to join it, stay in the processor's cache; a table over a million keys spends its time
 * waiting on memory instead. Two lists are joined partition by partition, so both must be
 * partitioned with the same number of bits (see `partitionBits`).
 */
export class PartitionedKeys {
  readonly length: number;
  readonly data: Int32Array;
  /** Entry index where each partition starts, and the end of the last. */
  readonly starts: Int32Array;

  constructor(
    list: KeyList,
    readonly bits: number,
    name: string,
  ) {
    this.length = list.length;
    const partitions = 1 << bits;
    const shift = 31 - bits;
    const from = list.data;
    const starts = scratchInt32(`${name}: starts`, partitions + 1);
    for (let at = 0; at < list.length * STRIDE; at += STRIDE) starts[(from[at + HASH]! >>> shift) + 1]!++;
    const cursor = bucketCursors(starts, `${name}: cursor`);
    const to = scratchInt32(name, list.length * STRIDE, false);
    for (let at = 0; at < list.length * STRIDE; at += STRIDE) {
      const target = cursor[from[at + HASH]! >>> shift]!++ * STRIDE;
      to[target] = from[at]!;
      to[target + 1] = from[at + 1]!;
      to[target + 2] = from[at + 2]!;
      to[target + 3] = from[at + 3]!;
      to[target + 4] = from[at + 4]!;
    }
    this.data = to;
    this.starts = starts;
  }
}

/** Enough partition bits for the right (larger, indexed) side of a join to have about 4,000 keys per partition. */
export function partitionBits(rightLength: number): number {
  return Math.max(0, Math.min(16, Math.ceil(Math.log2(rightLength / PARTITION_SIZE))));
}
const PARTITION_SIZE = 4096;

/** A join's hash table slot: key a, key b, first right entry + 1 (0 when empty), last right entry, right entries. */
const SLOT = 5;

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
    this.left = scratchInt32(`${name}: left`, Math.max(16, expected), false);
    this.right = scratchInt32(`${name}: right`, Math.max(16, expected), false);
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
 * with that key number no more than the left key's limit. Partition by partition, a hash table
 * of the right keys (each key's right entries chained in record order) is probed with the left
 * keys. A pair that shares several keys appears once per key.
 */
export function joinKeys(left: PartitionedKeys, right: PartitionedKeys, into: PairList): PairList {
  if (left.bits !== right.bits) throw new Error('Both sides of a join must be partitioned alike');
  const l = left.data;
  const r = right.data;
  const next = scratchInt32('join: next', right.length, false);
  for (let partition = 0; partition < 1 << right.bits; partition++) {
    const rightStart = right.starts[partition]!;
    const rightEnd = right.starts[partition + 1]!;
    const leftStart = left.starts[partition]!;
    const leftEnd = left.starts[partition + 1]!;
    if (rightStart === rightEnd || leftStart === leftEnd) continue;
    const mask = (1 << Math.ceil(Math.log2(Math.max(8, 2 * (rightEnd - rightStart))))) - 1;
    const table = scratchInt32('join: table', (mask + 1) * SLOT);
    for (let entry = rightStart; entry < rightEnd; entry++) {
      const at = entry * STRIDE;
      const slot = findSlot(table, mask, r[at + HASH]!, r[at + A]!, r[at + B]!);
      next[entry] = -1;
      if (table[slot + 2] === 0) {
        table[slot] = r[at + A]!;
        table[slot + 1] = r[at + B]!;
        table[slot + 2] = entry + 1;
      } else next[table[slot + 3]!] = entry;
      table[slot + 3] = entry;
      table[slot + 4]!++;
    }
    for (let at = leftStart * STRIDE; at < leftEnd * STRIDE; at += STRIDE) {
      const slot = findSlot(table, mask, l[at + HASH]!, l[at + A]!, l[at + B]!);
      if (table[slot + 2] === 0 || table[slot + 4]! > l[at + LIMIT]!) continue;
      const record = l[at + RECORD]!;
      for (let entry = table[slot + 2]! - 1; entry >= 0; entry = next[entry]!) into.push(record, r[entry * STRIDE + RECORD]!);
    }
  }
  return into;
}

/** The slot (an offset into the table) holding key (a, b), or the empty slot where it would go. */
function findSlot(table: Int32Array, mask: number, hash: number, a: number, b: number): number {
  // The table is at most half full, so an empty slot is always reached.
  for (let index = hash & mask; ; index = (index + 1) & mask) {
    const slot = index * SLOT;
    if (table[slot + 2] === 0 || (table[slot] === a && table[slot + 1] === b)) return slot;
  }
}

/**
 * Pairs grouped by left record (a counting sort): the right records of left record `left` are
 * `right[start[left]]` up to `right[start[left + 1]]`, in the order they were joined.
 */
export function pairsByLeft(pairs: PairList, leftCount: number, name: string): { start: Int32Array; right: Int32Array } {
  const start = scratchInt32(`${name}: start`, leftCount + 1);
  for (let at = 0; at < pairs.length; at++) start[pairs.left[at]! + 1]!++;
  const cursor = bucketCursors(start, `${name}: cursor`);
  const right = scratchInt32(`${name}: right`, pairs.length, false);
  for (let at = 0; at < pairs.length; at++) right[cursor[pairs.left[at]!]!++] = pairs.right[at]!;
  return { start, right };
}
