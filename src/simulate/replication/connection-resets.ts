// Connections closed under their clients: drained, cut or force-closed, one caller connection, the pooled
// proxy-to-proxy connections that match, or everything through a proxy that died. The disruption host
// (disruption-host.ts) decides when; this says what each does to the connections and calls on them.
import type { Edge } from '../world/index.ts';
import type { Parts } from './parts.ts';
import type { Segments } from './segments.ts';

export class ConnectionResets {
  constructor(
    private readonly p: Parts,
    private readonly segments: Segments,
  ) {}

  /**
   * A caller connection is closed under its client: drained (closed gracefully, in-flight requests
   * finish), cut (a reset its client sees, after in-flight work finished) or, with `abort`, force-closed
   * (a reset with requests in flight on it failing).
   */
  slot(slot: number, e: Edge, abort: boolean, cut = abort, at = 0): void {
    const now = this.p.cal.now;
    const c = this.p.connections;
    this.segments.closeSlot(slot, c.caller(slot, e));
    // A connection past its lifetime was already closing by itself (it is closed lazily): no reset.
    if (c.expiryOf(slot) <= now) return;
    c.setReconnectAt(slot, now + c.backoff());
    if (!cut) {
      // Closed by a draining server (GOAWAY, Connection: close): the client reconnects, nothing fails.
      this.p.recorder.connectionsDrained++;
      return;
    }
    this.p.recorder.connectionReset(e.to, now);
    if (!abort) return;
    const k = this.p.calls;
    for (let id = 0; id < k.capacity; id++) {
      if (k.inUse[id] && k.slot[id] === slot && k.dst[id]! >= 0 && !k.doomed[id]) k.doomed[id] = at + 1;
    }
  }

  /**
   * Resets pooled proxy-to-proxy connections (HBONE or Envoy upstream) matching `match`, and closes them
   * in the count of the connection circuit breakers.
   */
  pools(match: (originator: number, terminator: number, peer: number) => boolean): void {
    this.p.recorder.pooledConnectionsReset += this.p.pools.reset(match);
    const breakers = this.segments.choice.breakers;
    if (breakers.any) breakers.reset(match);
  }

  /** Every caller connection whose path crosses proxy `p`, reset; calls on them fail. */
  throughProxy(p: number, abort: boolean): void {
    const { w, connections: c, hops } = this.p;
    c.forOpen(
      () => true,
      (slot, e) => {
        const src = c.caller(slot, e);
        const steps = w.templates[c.templateOf(slot)]!.steps;
        for (let s = 0; s < steps.length; s++) {
          if (hops.resolve(steps[s]!, src, c.dstOf(slot), c.waypointOf(slot), c.gatewayOf(slot)) === p) {
            this.slot(slot, e, abort, abort, s);
            return;
          }
        }
      },
    );
    this.pools((o, t) => o === p || t === p);
    if (abort) this.doomThroughProxy(p);
  }

  /** Calls whose path crosses proxy `p` fail (it died under them). */
  private doomThroughProxy(p: number): void {
    const { w, calls: k, hops } = this.p;
    for (let id = 0; id < k.capacity; id++) {
      if (!k.inUse[id] || k.doomed[id] || k.dst[id]! < 0) continue;
      const steps = w.templates[k.template[id]!]!.steps;
      for (let s = 0; s < steps.length; s++) {
        if (hops.resolve(steps[s]!, k.src[id]!, k.dst[id]!, k.waypoint[id]!, k.gateway[id]!) === p) {
          k.doomed[id] = s + 1;
          break;
        }
      }
    }
  }
}
