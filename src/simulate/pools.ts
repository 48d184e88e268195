// Connection pools between a proxy and its upstream peer: pooled connections open, streams or requests
// riding on them. Keyed by (originator, terminator) pair; a pair's state lives in typed arrays.

export class PairPools {
  private readonly index = new Map<number, number>();
  private readonly width: number;
  open = new Int32Array(256);
  active = new Int32Array(256);
  size = 0;

  /** `width` must exceed every terminator id. */
  constructor(width: number) {
    this.width = width;
  }

  pair(originator: number, terminator: number): number {
    const key = originator * this.width + terminator;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.size++;
      if (i === this.open.length) {
        const o = new Int32Array(i * 2);
        o.set(this.open);
        this.open = o;
        const a = new Int32Array(i * 2);
        a.set(this.active);
        this.active = a;
      }
      this.index.set(key, i);
    }
    return i;
  }
}
