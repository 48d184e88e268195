// The work a proxy hop costs: its CPU on and off the request's path (connection and handshake CPU all
// on it), its non-CPU time (kernel, redirect, network stack), and the upstream segment it opens, all
// handed to the proxy's worker queue. Called by the state machine (request-path.ts) only.
import * as kinds from './kinds.ts';
import type { Parts } from './parts.ts';
import type { Segments } from './segments.ts';
import * as pools from './upstream-pools.ts';

// Module constants: read on the hot path (see request-path.ts).
const CPU_PROXIES = kinds.CPU_PROXIES;
const DELIVER = kinds.DELIVER;
const HANDSHAKE = pools.HANDSHAKE;
const NEW_CONNECTION = pools.NEW_CONNECTION;
const HOP_ON_PATH = kinds.HOP_ON_PATH;
const HOP_OFF_PATH = kinds.HOP_OFF_PATH;

export class HopWork {
  private readonly p: Parts;
  private readonly segments: Segments;
  private readonly warmup: number;
  private readonly duration: number;
  private readonly nProxies: number;

  constructor(p: Parts, segments: Segments) {
    this.p = p;
    this.nProxies = p.w.nProxies;
    this.segments = segments;
    this.warmup = p.w.scenario.simulation.warmup;
    this.duration = p.w.scenario.simulation.duration;
  }

  /** Prepares call `id`'s hop through proxy `p`; true when a worker is free to run it now. */
  take(id: number, p: number): boolean {
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
    const perRequest = cost.cpuPerRequest + cost.cpuPerKiB * kib;
    let on = perRequest * cost.cpuOnPath;
    const off = perRequest - on;
    const nonCpu = proxies.nonCpu(cls) + cost.criticalPathPerKiB * kib;
    const bit = 1 << s;
    const freshIn = (k.fresh[id]! & bit) !== 0;
    const now = this.p.cal.now;
    const measuring = now >= this.warmup;
    if (freshIn) {
      on += cost.cpuPerConnection;
      if (measuring) proxies.countNewConnection(p);
    }
    if (k.handshake[id]! & bit) {
      on += cost.cpuPerHandshake;
      if (measuring) proxies.countHandshake(p);
    }
    if (st.upstream !== DELIVER) {
      const segment = this.segments.openUpstream(id, p, s, freshIn);
      if (segment & NEW_CONNECTION) k.fresh[id]! |= bit << 1;
      if (segment & HANDSHAKE) {
        k.handshake[id]! |= bit << 1;
        on += cost.cpuPerHandshake;
        if (measuring) proxies.countHandshake(p);
      }
    }
    if (now < this.duration) this.p.recorder.cpu(CPU_PROXIES + cls, now, on + off);
    this.p.cpu.offer(p, this.p.pods.proxyNode[p]!, on + off);
    k.step[id] = s + 1;
    return proxies.arrive(id, p, on, off, nonCpu);
  }

  /**
   * A worker of the call's proxy runs the hop's CPU on the proxy's node. Returns the on-path CPU's
   * duration when the worker's thread runs it all unshared (node-cpu.ts `fast`: the call then moves on
   * after it, and the worker is free after the off-path CPU too), or -1 when the node processor runs it
   * (cpuDone follows).
   */
  run(id: number): number {
    const proxies = this.p.proxies;
    const p = proxies.hopProxy[id]!;
    const node = this.node(p);
    const on = proxies.hopOn[id]!;
    const off = proxies.hopOff[id]!;
    if (this.p.cpu.fast(p, node, on + off)) {
      // The worker is free again once its thread is done: no event unless a request waits for it.
      proxies.queues.hold(p, this.p.cal.now + (on + off));
      return on;
    }
    this.p.cpu.start(p, node, on, id * 4 + HOP_ON_PATH);
    return -1;
  }

  /**
   * A hop's CPU job is done. On-path: the worker goes on with the hop's off-path CPU (or is free), and the
   * call id is returned so it moves on; off-path: the worker takes its next request, and -1 is returned.
   */
  cpuDone(token: number): number {
    const i = token >>> 2;
    const proxies = this.p.proxies;
    if ((token & 3) === HOP_OFF_PATH) {
      // Past the proxies: a push a proxy's main thread applied (xds-apply.ts), which held no worker.
      if (i < this.nProxies) proxies.queues.release(i);
      return -1;
    }
    const p = proxies.hopProxy[i]!;
    const off = proxies.hopOff[i]!;
    if (off > 0) this.p.cpu.start(p, this.node(p), off, p * 4 + HOP_OFF_PATH);
    else proxies.queues.release(p);
    return i;
  }

  private node(p: number): number {
    return this.p.pods.proxyNode[p]!;
  }
}
