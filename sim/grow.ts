/** A copy of a typed array with room for `cap` elements (the rest zero): how sim/'s pools grow. */
export function grow<A extends Float64Array | Int32Array | Uint8Array>(from: A, cap: number): A {
  const to = new (from.constructor as new (n: number) => A)(cap);
  to.set(from);
  return to;
}
