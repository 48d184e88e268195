// Closed-loop clients: each connection of an entry point with `closedLoop` sends its next request when
// the previous one returned (answered, failed, or given up on at its timeout), after a think time when
// one is given, and never before its next slot under the rate cap. Open-loop entry points are arrivals.ts.
//
// Pacing follows fortio's periodic runner (fortio/fortio periodic/periodic.go, v1.69): -qps is shared
// evenly by the -c connections, each one aiming at request k at start + k * c / qps and sleeping only
// when it is early, so a connection that fell behind sends at once until it is on schedule again. wrk2
// (-R) and oha (-q) pace the same way; without a cap (fortio -qps 0, oha without -q, wrk) a connection
// sends as soon as its answer came back. Locust users wait `wait_time` between tasks: the think time.
import type { Distribution, RandomStreams, Rng } from '../../../sim/index.ts';
import type { World } from '../world/index.ts';

export class ClosedLoops {
  /** Connections over every closed-loop entry point. */
  readonly count: number;
  /** Entry point and client pod of each connection (-1: no load generator could be scheduled). */
  readonly entry: Int32Array;
  readonly client: Int32Array;
  /** The time each connection aims its next request at under the rate cap (0 without one). */
  readonly due: Float64Array;
  /** Seconds between a connection's requests under the cap, 0 without one. */
  private readonly period: Float64Array;
  /** Index of each connection within its entry point, and its entry point's connection count. */
  private readonly ordinal: Int32Array;
  private readonly connections: Int32Array;
  private readonly think: Array<Distribution | null>;
  private readonly rng: Rng[];
  /** The connection waiting on each root call in flight, by call id. */
  private readonly waiting = new Map<number, number>();

  constructor(w: World, streams: RandomStreams) {
    const traffic = w.scenario.traffic;
    const entry: number[] = [];
    const client: number[] = [];
    const period: number[] = [];
    const ordinal: number[] = [];
    const connections: number[] = [];
    traffic.forEach((ep, i) => {
      const loop = ep.closedLoop;
      if (!loop) return;
      const pods = w.entryClients[i]!;
      for (let c = 0; c < loop.connections; c++) {
        entry.push(i);
        // Connections are spread over the generator pods as fortio's -c over its replicas would be.
        client.push(pods.length === 0 ? -1 : pods[c % pods.length]!);
        period.push(loop.rateCap ? loop.connections / loop.rateCap : 0);
        ordinal.push(c);
        connections.push(loop.connections);
      }
    });
    this.count = entry.length;
    this.entry = Int32Array.from(entry);
    this.client = Int32Array.from(client);
    this.period = Float64Array.from(period);
    this.ordinal = Int32Array.from(ordinal);
    this.connections = Int32Array.from(connections);
    this.due = new Float64Array(this.count);
    this.think = w.thinkTime;
    this.rng = traffic.map((e) => streams.stream(`think:${e.name}`));
  }

  /**
   * When connection `c` sends its first request: all at once without a cap (fortio starts its
   * goroutines together); staggered evenly over one period with one, so the cap holds from the start.
   */
  firstSend(c: number): number {
    const t = (this.ordinal[c]! * this.period[c]!) / this.connections[c]!;
    this.due[c] = t;
    return t;
  }

  /** Connection `c` waits on root call `id`. */
  sent(c: number, id: number): void {
    this.waiting.set(id, c);
    this.due[c]! += this.period[c]!;
  }

  /** Root call `from` goes on as `to`: the connection waiting on it waits on `to`. */
  moved(from: number, to: number): void {
    const c = this.waiting.get(from);
    if (c === undefined) return;
    this.waiting.delete(from);
    this.waiting.set(to, c);
  }

  /** Root call `id` returned (or was given up on): the connection waiting on it, -1 if none was. */
  returned(id: number): number {
    const c = this.waiting.get(id);
    if (c === undefined) return -1;
    this.waiting.delete(id);
    return c;
  }

  /** When connection `c`, whose request returned at `now`, sends its next one. */
  nextSend(c: number, now: number): number {
    const z = this.think[this.entry[c]!];
    const ready = z ? now + Math.max(0, z.sample(this.rng[this.entry[c]!]!)) : now;
    return Math.max(ready, this.due[c]!);
  }
}
