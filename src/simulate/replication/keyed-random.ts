// Common random numbers across architectures: a random decision draws from its own named substream,
// keyed by the request that makes it, so the same request makes the same decision under every
// architecture where the decision exists (its service time, its connection's endpoint, its least-request
// pick, its waypoint, its retries' back-off), however differently the calls interleave. A shared stream
// would hand the same request different numbers as soon as one architecture drew one more number.
// Counter-based: the draws of a decision are a hash of (salt of the substream, key, counter), so keying
// costs two multiplications and allocates nothing.
import type { RandomStreams, Rng } from '../../../sim/index.ts';

/** murmur3's 32-bit finaliser: every input bit flips each output bit with probability about 1/2. */
export function mix32(h: number): number {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The key of a call: its parent's key (with the parent's attempt), the edge, and which call it is. */
export function childKey(parentKey: number, parentAttempt: number, edge: number, ordinal: number): number {
  return mix32(
    (parentKey ^ Math.imul(parentAttempt + 1, 0x27d4eb2f) ^ Math.imul(edge + 1, 0x165667b1)) +
      Math.imul(ordinal + 1, 0x9e3779b9),
  );
}

/** The key of the n-th request of entry point i. */
export function entryKey(i: number, n: number): number {
  return mix32(Math.imul(i + 1, 0x85ebca77) ^ mix32(n + 0x6a09e667));
}

/** One named substream: `at(key, sub)` restarts it at decision `sub` of the call with `key`. */
export class KeyedRng implements Rng {
  private readonly salt: number;
  private state = 0;
  private counter = 0;

  constructor(streams: RandomStreams, name: string) {
    // The salt depends on the replication's seed and the substream's name, not on the architecture.
    this.salt = Math.floor(streams.stream(`keyed:${name}`).next() * 4294967296) >>> 0;
  }

  at(key: number, sub = 0): this {
    this.state = mix32(mix32(key ^ this.salt) + Math.imul(sub + 1, 0x9e3779b9));
    this.counter = 0;
    return this;
  }

  next(): number {
    this.counter++;
    return mix32(this.state + Math.imul(this.counter, 0x632be5ab)) / 4294967296;
  }
}
