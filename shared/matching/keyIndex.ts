import { pairHash } from './pairMap';

/** `bigger`, holding a copy of `array` at its start: for the matcher's growable typed columns. */
export function grown<T extends Int32Array | Float64Array>(array: T, bigger: T): T {
  bigger.set(array);
  return bigger;
}

/**
 * Blocking keys (two 31-bit integers) and the MIS records that carry them, gathered in one
 * pass before the index is built.
 */
export class KeyList {
  length = 0;
  private data: Int32Array;

  constructor(expected = 1024) {
    this.data = new Int32Array(3 * Math.max(16, expected));
  }

  add(a: number, b: number, record: number): void {
    if (this.length * 3 === this.data.length) this.data = grown(this.data, new Int32Array(this.data.length * 2));
    const at = this.length++ * 3;
    this.data[at] = a;
    this.data[at + 1] = b;
    this.data[at + 2] = record;
  }

  keyA(at: number): number {
    return this.data[at * 3]!;
  }
  keyB(at: number): number {
    return this.data[at * 3 + 1]!;
  }
  record(at: number): number {
    return this.data[at * 3 + 2]!;
  }
}

/**
 * A hash index from blocking keys to the MIS records that carry them, in flat typed arrays:
 * each slot holds its key, the start of its block and the block's size side by side (one cache
 * line per probe), and every block's records lie next to each other, in record order. The MIS
 * side of a large match has millions of keys, and a Map of arrays would spend most of its time
 * allocating and chasing pointers.
 */
export class KeyIndex {
  /** Per slot: key a, key b, block start, block size (0 for an empty slot). */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly records: Int32Array;

  constructor(keys: KeyList) {
    // Records carry several keys each and many records share a key, so there are far fewer
    // distinct keys than entries: a slot per entry keeps the table at most half full.
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, keys.length)));
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 4);
    // First pass: a slot per distinct key, counting each record once per key.
    const slotOf = new Int32Array(keys.length);
    const lastRecord = new Int32Array(capacity).fill(-1);
    let entries = 0;
    for (let at = 0; at < keys.length; at++) {
      const slot = this.slotFor(keys.keyA(at), keys.keyB(at));
      const record = keys.record(at);
      if (lastRecord[slot] === record) {
        slotOf[at] = -1;
        continue;
      }
      lastRecord[slot] = record;
      slotOf[at] = slot;
      this.slots[slot * 4 + 3]!++;
      entries++;
    }
    // Blocks laid end to end, then filled in record order.
    const cursor = lastRecord;
    for (let slot = 0, start = 0; slot < capacity; slot++) {
      cursor[slot] = start;
      this.slots[slot * 4 + 2] = start;
      start += this.slots[slot * 4 + 3]!;
    }
    this.records = new Int32Array(entries);
    for (let at = 0; at < keys.length; at++) {
      const slot = slotOf[at]!;
      if (slot >= 0) this.records[cursor[slot]!++] = keys.record(at);
    }
  }

  /** The slot holding a key, or -1. */
  find(a: number, b: number): number {
    const slots = this.slots;
    for (let slot = pairHash(a, b) & this.mask; slots[slot * 4 + 3]; slot = (slot + 1) & this.mask) {
      if (slots[slot * 4] === a && slots[slot * 4 + 1] === b) return slot;
    }
    return -1;
  }

  sizeOf(slot: number): number {
    return this.slots[slot * 4 + 3]!;
  }

  /** Where the slot's records start; they run for `sizeOf(slot)` entries. */
  startOf(slot: number): number {
    return this.slots[slot * 4 + 2]!;
  }

  recordAt(entry: number): number {
    return this.records[entry]!;
  }

  /** The key's slot, claiming an empty one for a new key. */
  private slotFor(a: number, b: number): number {
    const slots = this.slots;
    let slot = pairHash(a, b) & this.mask;
    while (slots[slot * 4 + 3]) {
      if (slots[slot * 4] === a && slots[slot * 4 + 1] === b) return slot;
      slot = (slot + 1) & this.mask;
    }
    slots[slot * 4] = a;
    slots[slot * 4 + 1] = b;
    return slot;
  }
}
