/**
 * Dense numbers for triples of small integers (each in [-1, 2^31 - 1)), handed out in order of first
 * sight: an open-addressing hash table (linear probing) in typed arrays. A Map keyed by a number built
 * from three indices needs doubles once the product passes 2^31 (heap numbers, slow hashing); this keeps
 * the triple as three int32s and allocates nothing per lookup. Entries are never removed.
 */
export class TripleIndex {
  /** Slot i holds a, b, c and the dense number + 1 (0: empty) at 4i..4i+3: one cache line per probe. */
  private table: Int32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.table = new Int32Array(4 * n);
    this.mask = n - 1;
  }

  /** Triples numbered so far. */
  get size(): number {
    return this.count;
  }

  /** The dense number of (a, b, c), or -1 when it has none. */
  get(a: number, b: number, c: number): number {
    const t = this.table;
    let i = hash(a, b, c) & this.mask;
    for (;;) {
      const at = 4 * i;
      const v = t[at + 3]!;
      if (v === 0) return -1;
      if (t[at] === a && t[at + 1] === b && t[at + 2] === c) return v - 1;
      i = (i + 1) & this.mask;
    }
  }

  /** The dense number of (a, b, c), numbering it next (size before the call) if it has none. */
  intern(a: number, b: number, c: number): number {
    const t = this.table;
    let i = hash(a, b, c) & this.mask;
    for (;;) {
      const at = 4 * i;
      const v = t[at + 3]!;
      if (v === 0) break;
      if (t[at] === a && t[at + 1] === b && t[at + 2] === c) return v - 1;
      i = (i + 1) & this.mask;
    }
    const n = this.count++;
    const at = 4 * i;
    t[at] = a;
    t[at + 1] = b;
    t[at + 2] = c;
    t[at + 3] = n + 1;
    // Kept at most half full, so probes stay short.
    if (this.count * 2 > this.mask + 1) this.rehash();
    return n;
  }

  private rehash(): void {
    const old = this.table;
    const n = (this.mask + 1) * 2;
    const t = new Int32Array(4 * n);
    this.table = t;
    this.mask = n - 1;
    for (let j = 0; j < old.length; j += 4) {
      if (old[j + 3] === 0) continue;
      let i = hash(old[j]!, old[j + 1]!, old[j + 2]!) & this.mask;
      while (t[4 * i + 3] !== 0) i = (i + 1) & this.mask;
      // four stores, not set(subarray): a view allocated per entry was most of a big table's growth
      const at = 4 * i;
      t[at] = old[j]!;
      t[at + 1] = old[j + 1]!;
      t[at + 2] = old[j + 2]!;
      t[at + 3] = old[j + 3]!;
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
