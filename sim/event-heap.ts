// The calendar's heap order: a binary min-heap of (time, slot) in two typed arrays (T[i], H[i] by heap
// position), ties in time broken by the slot's sequence number Q[slot], smaller first. Functions on the
// arrays, not a class, so the calendar keeps the arrays in its own object (see Calendar).

/**
 * Fills the hole at the root with (t, slot), the former last entry at position n, in a heap of n entries
 * (Floyd's bottom-up variant): walk the hole down to a leaf along the smaller children, one comparison
 * per level, then sift the entry up from there. The last entry is usually large, so it rarely climbs, and
 * this halves the comparisons of a classic sift-down.
 *
 * The smaller child is chosen without a branch (the comparison's bit added to the index): on the
 * calendar's times which child is smaller is a coin toss, so a branch there mispredicted every other
 * level. Position n, just past the heap, is set to +Infinity first, so a left child at n - 1 has a
 * sibling that never wins and the walk tests no bound per level (the arrays hold it: n is where the
 * last entry stood before the pop).
 */
export function refillRoot(
  T: Float64Array,
  H: Int32Array,
  Q: Float64Array,
  t: number,
  slot: number,
  n: number,
): void {
  T[n] = Number.POSITIVE_INFINITY;
  let i = 0;
  let c = 1;
  while (c < n) {
    const ct = T[c]!;
    const dt = T[c + 1]!;
    // Equal times are rare: then the smaller sequence number wins, as everywhere in the order (and
    // never the place past the heap, whatever its time).
    const right = dt === ct ? c + 1 < n && Q[H[c + 1]!]! < Q[H[c]!]! : dt < ct;
    c += +right;
    T[i] = T[c]!;
    H[i] = H[c]!;
    i = c;
    c = 2 * i + 1;
  }
  const q = Q[slot]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = T[p]!;
    if (pt < t || (pt === t && Q[H[p]!]! < q)) break;
    T[i] = pt;
    H[i] = H[p]!;
    i = p;
  }
  T[i] = t;
  H[i] = slot;
}

/**
 * Places (t, slot) at hole i and sifts it up. `newest`: its sequence number is the largest so far, so
 * among equal times it sorts last and the climb stops at <= without reading sequence numbers.
 */
export function siftUp(
  T: Float64Array,
  H: Int32Array,
  Q: Float64Array,
  i: number,
  t: number,
  slot: number,
  newest: boolean,
): void {
  const q = Q[slot]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = T[p]!;
    if (pt < t || (pt === t && (newest || Q[H[p]!]! < q))) break;
    T[i] = pt;
    H[i] = H[p]!;
    i = p;
  }
  T[i] = t;
  H[i] = slot;
}

/** Places (t, slot) at hole i and sifts it down within a heap of n entries. */
function siftDown(
  T: Float64Array,
  H: Int32Array,
  Q: Float64Array,
  i: number,
  t: number,
  slot: number,
  n: number,
): void {
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    let ct = T[c]!;
    const d = c + 1;
    if (d < n) {
      const dt = T[d]!;
      if (dt < ct || (dt === ct && Q[H[d]!]! < Q[H[c]!]!)) {
        c = d;
        ct = dt;
      }
    }
    if (t < ct || (t === ct && Q[slot]! < Q[H[c]!]!)) break;
    T[i] = ct;
    H[i] = H[c]!;
    i = c;
  }
  T[i] = t;
  H[i] = slot;
}

/** Makes the first n entries a heap (Floyd, O(n)). */
export function heapify(T: Float64Array, H: Int32Array, Q: Float64Array, n: number): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(T, H, Q, i, T[i]!, H[i]!, n);
}
