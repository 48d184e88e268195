// A typed array of a larger size holding the old contents: how call and pool tables grow (by doubling,
// rarely, so the hot path keeps indexing plain typed arrays).
type Typed = Int32Array | Float64Array | Uint8Array;

export function grown<T extends Typed>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
