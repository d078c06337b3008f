/**
 * An open-addressing hash map from a pair of non-negative 31-bit integers to a non-negative
 * integer, in flat typed arrays: the matcher looks pairs up hundreds of thousands of times,
 * and a Map keyed by strings or doubles would spend that time hashing and allocating.
 */
export class PairMap {
  private capacity = 0;
  private count = 0;
  private keyA!: Int32Array;
  private keyB!: Int32Array;
  /** The value plus one; zero marks an empty slot. */
  private values!: Int32Array;

  constructor(expected = 1024) {
    this.allocate(1 << Math.ceil(Math.log2(Math.max(16, expected * 2))));
  }

  /** The value stored for the pair, or -1. */
  get(a: number, b: number): number {
    const mask = this.capacity - 1;
    for (let slot = pairHash(a, b) & mask; this.values[slot]; slot = (slot + 1) & mask) {
      if (this.keyA[slot] === a && this.keyB[slot] === b) return this.values[slot]! - 1;
    }
    return -1;
  }

  set(a: number, b: number, value: number): void {
    const slot = this.slotFor(a, b);
    if (!this.values[slot]) {
      if ((this.count + 1) * 2 > this.capacity) {
        this.grow();
        return this.set(a, b, value);
      }
      this.count++;
      this.keyA[slot] = a;
      this.keyB[slot] = b;
    }
    this.values[slot] = value + 1;
  }

  /** Adds one to the pair's value (absent counts as zero). */
  increment(a: number, b: number): void {
    this.set(a, b, Math.max(0, this.get(a, b)) + 1);
  }

  private slotFor(a: number, b: number): number {
    const mask = this.capacity - 1;
    let slot = pairHash(a, b) & mask;
    while (this.values[slot] && (this.keyA[slot] !== a || this.keyB[slot] !== b)) slot = (slot + 1) & mask;
    return slot;
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.keyA = new Int32Array(capacity);
    this.keyB = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
  }

  private grow(): void {
    const { keyA, keyB, values, capacity } = this;
    this.allocate(capacity * 2);
    for (let slot = 0; slot < capacity; slot++) {
      if (!values[slot]) continue;
      const target = this.slotFor(keyA[slot]!, keyB[slot]!);
      this.keyA[target] = keyA[slot]!;
      this.keyB[target] = keyB[slot]!;
      this.values[target] = values[slot]!;
    }
  }
}

/** A 32-bit mix of two integers (murmur3 finaliser style), shared by the matcher's hash tables. */
export function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
