// Requests entering the mesh: each entry point's arrival process (traffic/arrivals.ts) and the round
// robin over its load-generator pods.
import type { RandomStreams, Rng } from '../../../sim/index.ts';
import type { World } from '../world/index.ts';
import { entryKey } from './keyed-random.ts';

export class Arrivals {
  private readonly w: World;
  private readonly rng: Rng[];
  private readonly gap: ((t: number, rng: Rng) => number)[];
  private readonly nextClient: Int32Array;
  /** Arrivals so far per entry point (they number the requests for their keys). */
  private readonly arrived: Int32Array;

  constructor(w: World, streams: RandomStreams) {
    this.w = w;
    const traffic = w.scenario.traffic;
    this.rng = traffic.map((e) => streams.stream(`arrivals:${e.name}`));
    this.gap = w.interarrival;
    this.nextClient = new Int32Array(traffic.length);
    this.arrived = new Int32Array(traffic.length);
  }

  /** Time from `now` to the next arrival at entry point `i`. */
  gapAfter(i: number, now: number): number {
    return this.gap[i]!(now, this.rng[i]!);
  }

  /** The key of the next request of entry point `i` (keyed-random.ts): the same in every architecture. */
  key(i: number): number {
    return entryKey(i, this.arrived[i]!++);
  }

  /** The client pod sending the next request of entry point `i`, -1 when none runs. */
  client(i: number): number {
    const clients = this.w.entryClients[i]!;
    if (clients.length === 0) return -1;
    return clients[this.nextClient[i]!++ % clients.length]!;
  }
}
