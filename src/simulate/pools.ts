// Connection pools between a proxy and its upstream peer: pooled connections open, streams or requests
// riding on them. Keyed by (originator, terminator) pair; a pair's state lives in typed arrays, and each
// pair remembers its two ends so a dying proxy's pools can be found and reset.
import { grown } from './grown.ts';

export class PairPools {
  private readonly index = new Map<number, number>();
  private readonly width: number;
  open = new Int32Array(256);
  active = new Int32Array(256);
  originator = new Int32Array(256);
  terminator = new Int32Array(256);
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
      if (i === this.open.length) this.grow(i * 2);
      this.originator[i] = originator;
      this.terminator[i] = terminator;
      this.index.set(key, i);
    }
    return i;
  }

  private grow(n: number): void {
    this.open = grown(this.open, n);
    this.active = grown(this.active, n);
    this.originator = grown(this.originator, n);
    this.terminator = grown(this.terminator, n);
  }
}
