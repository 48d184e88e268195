/**
 * Dense numbers for triples of small integers (each in [-1, 2^31 - 1)), handed out in order of first
 * sight: an open-addressing hash table (linear probing) in typed arrays. A Map keyed by a number built
 * from three indices needs doubles once the product passes 2^31 (heap numbers, slow hashing); this keeps
 * the triple as three int32s and allocates nothing per lookup. Entries are never removed.
 */
export class TripleIndex {
  private keyA: Int32Array;
  private keyB: Int32Array;
  private keyC: Int32Array;
  /** Dense number + 1 at each table slot (0: empty). */
  private value: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keyA = new Int32Array(n);
    this.keyB = new Int32Array(n);
    this.keyC = new Int32Array(n);
    this.value = new Int32Array(n);
    this.mask = n - 1;
  }

  /** Triples numbered so far. */
  get size(): number {
    return this.count;
  }

  /** The dense number of (a, b, c), or -1 when it has none. */
  get(a: number, b: number, c: number): number {
    let i = hash(a, b, c) & this.mask;
    for (;;) {
      const v = this.value[i]!;
      if (v === 0) return -1;
      if (this.keyA[i] === a && this.keyB[i] === b && this.keyC[i] === c) return v - 1;
      i = (i + 1) & this.mask;
    }
  }

  /** The dense number of (a, b, c), numbering it next (size before the call) if it has none. */
  intern(a: number, b: number, c: number): number {
    let i = hash(a, b, c) & this.mask;
    for (;;) {
      const v = this.value[i]!;
      if (v === 0) break;
      if (this.keyA[i] === a && this.keyB[i] === b && this.keyC[i] === c) return v - 1;
      i = (i + 1) & this.mask;
    }
    const n = this.count++;
    this.keyA[i] = a;
    this.keyB[i] = b;
    this.keyC[i] = c;
    this.value[i] = n + 1;
    // Kept at most half full, so probes stay short.
    if (this.count * 2 > this.mask + 1) this.rehash();
    return n;
  }

  private rehash(): void {
    const { keyA, keyB, keyC, value } = this;
    const n = value.length * 2;
    this.keyA = new Int32Array(n);
    this.keyB = new Int32Array(n);
    this.keyC = new Int32Array(n);
    this.value = new Int32Array(n);
    this.mask = n - 1;
    for (let j = 0; j < value.length; j++) {
      if (value[j] === 0) continue;
      let i = hash(keyA[j]!, keyB[j]!, keyC[j]!) & this.mask;
      while (this.value[i] !== 0) i = (i + 1) & this.mask;
      this.keyA[i] = keyA[j]!;
      this.keyB[i] = keyB[j]!;
      this.keyC[i] = keyC[j]!;
      this.value[i] = value[j]!;
    }
  }
}

/** A 32-bit mix of three int32s (murmur3-style finaliser over a multiply-xor combine). */
function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ c, 0x27d4eb2f);
  h ^= h >>> 16;
  return h >>> 0;
}
