// A typed array of a larger size holding the old contents: how call and pool tables grow (by doubling,
// rarely, so the hot path keeps indexing plain typed arrays).
type Typed = Int32Array | Float64Array | Uint8Array;

export function grown<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * A side table by call id that holds `id`: `a` itself when it does, else doubled past it, new entries -1
 * (none). For the parts that keep a field only for the few calls that need one (circuit breakers, retry
 * limits, per-try timers) and so allocate it on first use.
 */
export function holding<T extends Int32Array | Float64Array>(a: T, id: number): T {
  if (id < a.length) return a;
  const b = grown(a, Math.max(64, 2 * (id + 1)));
  b.fill(-1, a.length);
  return b;
}
