/**
 * A hash index from blocking keys (two 31-bit integers) to the MIS records that carry them,
 * in flat typed arrays: the MIS side of a large match builds millions of entries, and a Map of
 * arrays would spend most of its time allocating.
 */
export class KeyIndex {
  private capacity = 0;
  private keyA!: Int32Array;
  private keyB!: Int32Array;
  private used!: Uint8Array;
  private head!: Int32Array;
  private tail!: Int32Array;
  private size!: Int32Array;
  private slots = 0;
  private next: Int32Array;
  private value: Int32Array;
  private entries = 0;

  constructor(expectedKeys: number) {
    this.allocateSlots(1 << Math.ceil(Math.log2(Math.max(16, expectedKeys * 2))));
    this.next = new Int32Array(Math.max(16, expectedKeys));
    this.value = new Int32Array(Math.max(16, expectedKeys));
  }

  add(a: number, b: number, record: number): void {
    let slot = this.find(a, b);
    if (slot < 0) {
      if ((this.slots + 1) * 2 > this.capacity) this.grow();
      slot = this.emptySlotFor(a, b);
      this.used[slot] = 1;
      this.keyA[slot] = a;
      this.keyB[slot] = b;
      this.head[slot] = -1;
      this.slots++;
    } else if (this.value[this.tail[slot]!] === record) {
      return;
    }
    if (this.entries === this.next.length) {
      this.next = grown(this.next);
      this.value = grown(this.value);
    }
    const entry = this.entries++;
    this.value[entry] = record;
    this.next[entry] = -1;
    if (this.head[slot] === -1) this.head[slot] = entry;
    else this.next[this.tail[slot]!] = entry;
    this.tail[slot] = entry;
    this.size[slot]!++;
  }

  /** The slot holding a key, or -1. */
  find(a: number, b: number): number {
    const mask = this.capacity - 1;
    for (let slot = hash(a, b) & mask; this.used[slot]; slot = (slot + 1) & mask) {
      if (this.keyA[slot] === a && this.keyB[slot] === b) return slot;
    }
    return -1;
  }

  sizeOf(slot: number): number {
    return this.size[slot]!;
  }

  firstEntry(slot: number): number {
    return this.head[slot]!;
  }

  nextEntry(entry: number): number {
    return this.next[entry]!;
  }

  recordAt(entry: number): number {
    return this.value[entry]!;
  }

  private emptySlotFor(a: number, b: number): number {
    const mask = this.capacity - 1;
    let slot = hash(a, b) & mask;
    while (this.used[slot]) slot = (slot + 1) & mask;
    return slot;
  }

  private allocateSlots(capacity: number): void {
    this.capacity = capacity;
    this.keyA = new Int32Array(capacity);
    this.keyB = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.head = new Int32Array(capacity);
    this.tail = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
  }

  private grow(): void {
    const old = {
      keyA: this.keyA,
      keyB: this.keyB,
      used: this.used,
      head: this.head,
      tail: this.tail,
      size: this.size,
      capacity: this.capacity,
    };
    this.allocateSlots(this.capacity * 2);
    for (let slot = 0; slot < old.capacity; slot++) {
      if (!old.used[slot]) continue;
      const target = this.emptySlotFor(old.keyA[slot]!, old.keyB[slot]!);
      this.used[target] = 1;
      this.keyA[target] = old.keyA[slot]!;
      this.keyB[target] = old.keyB[slot]!;
      this.head[target] = old.head[slot]!;
      this.tail[target] = old.tail[slot]!;
      this.size[target] = old.size[slot]!;
    }
  }
}

function hash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
