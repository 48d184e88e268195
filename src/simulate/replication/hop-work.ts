// The work a proxy hop costs: its worker, its CPU (per request, per KiB, per new connection and
// handshake) and critical-path time, and the upstream segment it opens. Called by the state machine
// (request-path.ts) only.
import * as kinds from './kinds.ts';
import type { Parts } from './parts.ts';
import type { Segments } from './segments.ts';
import * as pools from './upstream-pools.ts';

// Module constants: read on the hot path (see request-path.ts).
const CPU_PROXIES = kinds.CPU_PROXIES;
const DELIVER = kinds.DELIVER;
const HANDSHAKE = pools.HANDSHAKE;
const NEW_CONNECTION = pools.NEW_CONNECTION;

export class HopWork {
  private readonly p: Parts;
  private readonly segments: Segments;
  private readonly warmup: number;
  private readonly duration: number;

  constructor(p: Parts, segments: Segments) {
    this.p = p;
    this.segments = segments;
    this.warmup = p.w.scenario.simulation.warmup;
    this.duration = p.w.scenario.simulation.duration;
  }

  /**
   * Proxy `p` takes call `id`: its worker, CPU and critical-path time, and the segment it opens. Returns
   * the seconds until the call moves on.
   */
  take(id: number, p: number): number {
    const w = this.p.w;
    const k = this.p.calls;
    const proxies = this.p.proxies;
    const s = k.step[id]!;
    const tpl = k.template[id]!;
    const steps = w.templates[tpl]!.steps;
    const st = steps[s]!;
    const cls = st.proxyClass;
    const cost = w.classes[cls]!.cost;
    const kib = w.edges[k.edge[id]!]!.kib;
    let cpu = cost.cpuPerRequest + cost.cpuPerKiB * kib;
    const crit = proxies.criticalPath(cls) + cost.criticalPathPerKiB * kib;
    const bit = 1 << s;
    const freshIn = (k.fresh[id]! & bit) !== 0;
    const now = this.p.cal.now;
    const measuring = now >= this.warmup;
    if (freshIn) {
      cpu += cost.cpuPerConnection;
      if (measuring) proxies.newConnections[p]!++;
    }
    if (k.handshake[id]! & bit) {
      cpu += cost.cpuPerHandshake;
      if (measuring) proxies.handshakes[p]!++;
    }
    if (st.upstream !== DELIVER) {
      const segment = this.segments.openUpstream(id, p, s, freshIn);
      if (segment & NEW_CONNECTION) k.fresh[id]! |= bit << 1;
      if (segment & HANDSHAKE) {
        k.handshake[id]! |= bit << 1;
        cpu += cost.cpuPerHandshake;
        if (measuring) proxies.handshakes[p]!++;
      }
    }
    const start = proxies.take(p, cls, cpu, now);
    if (start < this.duration)
      this.p.recorder.cpu(CPU_PROXIES + cls, start, Math.min(cpu, this.duration - start));
    k.step[id] = s + 1;
    return start - now + crit / proxies.speed[cls]!;
  }
}
