/**
 * Typed arrays that live for one match, in buffers kept for the next. A large match fills tens
 * of megabytes of typed arrays; allocated afresh each time they count as new external memory,
 * and V8 answers with a full collection of the whole heap about once per match (a quarter of a
 * second when the heap holds a few hundred megabytes). Matching is synchronous, so a named
 * buffer serves one match at a time; within a match, each array in use needs its own name.
 * The buffers stay as large as the largest match so far.
 */
const buffers = new Map<string, ArrayBuffer>();

type TypedArrayKind<T> = { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

function view<T>(Kind: TypedArrayKind<T>, name: string, length: number): T {
  const bytes = Math.max(1, length) * Kind.BYTES_PER_ELEMENT;
  let buffer = buffers.get(name);
  if (!buffer || buffer.byteLength < bytes) buffers.set(name, (buffer = new ArrayBuffer(bytes)));
  return new Kind(buffer, 0, length);
}

/**
 * A zeroed Int32Array of `length`, in the buffer kept under `name`. `zeroed: false` skips the
 * zeroing for an array its user writes in full before reading (the contents are then stale).
 */
export function scratchInt32(name: string, length: number, zeroed = true): Int32Array {
  const array = view(Int32Array, name, length);
  return zeroed ? array.fill(0) : array;
}

/** A zeroed Float64Array of `length`, in the buffer kept under `name` (`zeroed` as for `scratchInt32`). */
export function scratchFloat64(name: string, length: number, zeroed = true): Float64Array {
  const array = view(Float64Array, name, length);
  return zeroed ? array.fill(0) : array;
}

/** A zeroed Uint8Array of `length`, in the buffer kept under `name`. */
export function scratchUint8(name: string, length: number): Uint8Array {
  return view(Uint8Array, name, length).fill(0);
}

/** A longer copy of a scratch array (for growable columns), kept under `name` from now on. */
export function scratchGrown<T extends Int32Array | Float64Array>(name: string, array: T, length: number): T {
  const Kind = array.constructor as TypedArrayKind<T>;
  const buffer = new ArrayBuffer(length * Kind.BYTES_PER_ELEMENT);
  buffers.set(name, buffer);
  const bigger = new Kind(buffer, 0, length);
  (bigger as Int32Array | Float64Array).set(array);
  return bigger;
}
