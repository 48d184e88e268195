// The state machine of a call: the only code that calls across the parts of a replication. Calls live in
// a CallTable and events carry call ids, so nothing is allocated per event.
//
//   event / call          state                    next
//   arrive(entry)         a request enters         issue -> startAttempt; arrive again after a gap
//   issue                 a new call               startAttempt (and its timeout armed)
//   startAttempt          ON_THE_WAY_IN, step 0    atHop after the first link | atApp | retryOrFail (no endpoint)
//   atHop                 at a proxy               serve -> atHop of the next step | atApp; failAttempt if doomed or the proxy is down
//   atApp                 at the callee's pod      WAITING_FOR_APP -> appStart when a worker is free; failAttempt if refused
//   appStart              IN_APP                   nextBatch after the service time
//   nextBatch             IN_APP, calls out        issue children; childDone -> nextBatch; ANSWERED -> complete after the way back
//   complete              ANSWERED                 finish (endAttempt first); failAttempt if doomed
//   failAttempt           any phase                endAttempt -> retryOrFail
//   retryOrFail           failed attempt           startAttempt after a back-off | finish(failed)
//   timeout               the caller gives up      abandoned (runs on, then vanishes); parent's childDone(failed)
//   finish                answered or failed       record; release; parent's childDone
import type { Calendar } from '../../../sim/index.ts';
import { GRANTED } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import { lbPerRequest, templateFor, type World } from '../world/index.ts';
import type { Applications } from './applications.ts';
import type { Arrivals } from './arrivals.ts';
import type { Balancing } from './balancing.ts';
import type { ClosedLoops } from './closed-loop.ts';
import type { Connections } from './connections.ts';
import type { Hops } from './hops.ts';
import * as kinds from './kinds.ts';
import type { Locality } from './locality.ts';
import { Handlers, type Parts } from './parts.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import type { Recorder } from './recorder.ts';
import type { Retries } from './retries.ts';
import type { Segments } from './segments.ts';
import type { UpstreamPools } from './upstream-pools.ts';
import * as pools from './upstream-pools.ts';

// Copied into module constants: an imported binding is re-read (with a hole check) on every access and
// cannot be folded into the hot lines below, a module constant can.
const ANSWERED = kinds.ANSWERED;
const CPU_APP = kinds.CPU_APP;
const CPU_PROXIES = kinds.CPU_PROXIES;
const DELIVER = kinds.DELIVER;
const IN_APP = kinds.IN_APP;
const LONG_LIVED = kinds.LONG_LIVED;
const ON_THE_WAY_IN = kinds.ON_THE_WAY_IN;
const PER_REQUEST = kinds.PER_REQUEST;
const WAITING_FOR_APP = kinds.WAITING_FOR_APP;
const HANDSHAKE = pools.HANDSHAKE;
const NEW_CONNECTION = pools.NEW_CONNECTION;

export class RequestPath {
  readonly on = new Handlers();
  private readonly w: World;
  private readonly cal: Calendar;
  private readonly calls: CallTable;
  private readonly arrivals: Arrivals;
  private readonly loops: ClosedLoops;
  private readonly locality: Locality;
  private readonly pods: Pods;
  private readonly apps: Applications;
  private readonly proxies: Proxies;
  private readonly hops: Hops;
  private readonly conns: Connections;
  private readonly balancing: Balancing;
  private readonly pools: UpstreamPools;
  private readonly retries: Retries;
  private readonly rec: Recorder;
  private readonly segments: Segments;
  private readonly warmup: number;
  private readonly duration: number;

  constructor(p: Parts, segments: Segments) {
    this.w = p.w;
    this.cal = p.cal;
    this.calls = p.calls;
    this.arrivals = p.arrivals;
    this.loops = p.loops;
    this.locality = p.locality;
    this.pods = p.pods;
    this.apps = p.apps;
    this.proxies = p.proxies;
    this.hops = p.hops;
    this.conns = p.connections;
    this.balancing = p.balancing;
    this.pools = p.pools;
    this.retries = p.retries;
    this.rec = p.recorder;
    this.segments = segments;
    this.warmup = p.w.scenario.simulation.warmup;
    this.duration = p.w.scenario.simulation.duration;
  }

  // ---- entry points ------------------------------------------------------------------------------------

  arrive(i: number): void {
    const now = this.cal.now;
    const measured = now >= this.warmup;
    this.rec.arrival(i, measured, now);
    const src = this.arrivals.client(i);
    // No load generator could be scheduled: the request is offered and fails at once.
    if (src < 0) this.rec.refused(i, measured, now);
    else this.issue(this.w.entryEdges[i]!, src, -1, measured);
    const next = now + this.arrivals.gapAfter(i, now);
    if (next < this.duration) this.cal.scheduleAt(next, this.on.arrive, i);
  }

  /** Closed-loop connection `c` sends its next request (closed-loop.ts paces it). */
  send(c: number): void {
    const now = this.cal.now;
    const i = this.loops.entry[c]!;
    const measured = now >= this.warmup;
    this.rec.arrival(i, measured, now);
    const src = this.loops.client[c]!;
    // No load generator could be scheduled: the connection's first request fails and it sends no more.
    if (src < 0) this.rec.refused(i, measured, now);
    else this.loops.sent(c, this.issue(this.w.entryEdges[i]!, src, -1, measured));
  }

  /** A root call returned or was given up on: its closed-loop connection, if any, goes again. */
  private returned(id: number): void {
    const c = this.loops.returned(id);
    if (c < 0) return;
    const next = this.loops.nextSend(c, this.cal.now);
    if (next < this.duration) this.cal.scheduleAt(next, this.on.send, c);
  }

  // ---- calls ---------------------------------------------------------------------------------------------

  private issue(edgeId: number, src: number, parent: number, measured: boolean): number {
    const k = this.calls;
    const id = k.begin(edgeId, parent, src, this.cal.now, measured);
    const edge = this.w.edges[edgeId]!;
    if (measured) this.rec.edgeCalls[edgeId]!++;
    if (edge.timeout < Number.POSITIVE_INFINITY)
      k.timer[id] = this.cal.schedule(edge.timeout, this.on.timeout, id);
    this.startAttempt(id);
    return id;
  }

  startAttempt(id: number): void {
    const w = this.w;
    const k = this.calls;
    if (k.abandoned[id]) {
      k.release(id);
      return;
    }
    const edge = w.edges[k.edge[id]!]!;
    const src = k.src[id]!;
    const now = this.cal.now;
    const conns = this.conns;
    const kind = this.pods.kind;
    k.newAttempt(id);
    const pods = this.locality.endpoints(edge.to, src);
    const wps = this.pods.waypointEndpoints[edge.id] ?? null;
    if (pods.length === 0 || (wps !== null && wps.length === 0)) {
      // No ready endpoint: the caller's proxy answers 503 (no healthy upstream), retried like one.
      this.cal.schedule(0, this.on.retryOrFail, id);
      return;
    }
    const slot = conns.pick(edge, src);
    let fresh = 0;
    let wait = 0;
    if (edge.connType === PER_REQUEST || !conns.open[slot]) {
      // A client whose connection was reset reconnects only after its back-off.
      if (conns.reconnectAt[slot]! > now) wait = conns.reconnectAt[slot]! - now;
      this.segments.openSlot(edge, src, slot, pods);
      fresh = 1;
    } else if (edge.connType === LONG_LIVED && now >= conns.expiry[slot]!) {
      this.segments.closeSlot(slot, src);
      this.segments.openSlot(edge, src, slot, pods);
      fresh = 1;
    }
    const perRequest = lbPerRequest(w, edge, kind[src]!);
    const dst = perRequest ? this.balancing.leastRequest(pods) : conns.dst[slot]!;
    const tpl = templateFor(edge, kind[src]!, kind[dst]!);
    k.slot[id] = slot;
    conns.busy[slot]!++;
    k.dst[id] = dst;
    // A connection-bound request goes to the process its connection reached, even once that is replaced.
    k.dstGen[id] = perRequest ? this.pods.routedGen(dst, now) : conns.dstGen[slot]!;
    k.waypoint[id] = conns.waypoint[slot]!;
    k.template[id] = tpl;
    k.fresh[id] = fresh;
    this.balancing.active[dst]!++;
    if (k.measured[id] && edge.l7 && !w.templates[tpl]!.l7Capable) this.rec.edgeL7Unhonoured[edge.id]!++;
    if (fresh) {
      const term = this.hops.terminator(tpl, 0, src, dst, conns.waypoint[slot]!);
      if (term < w.nProxies) this.proxies.changeOpen(term, 1, now);
    }
    this.proceed(id, wait);
  }

  /** Moves a call to its next position after `after` seconds spent at the current one. */
  private proceed(id: number, after: number): void {
    const k = this.calls;
    const last = k.step[id]! >= this.w.templates[k.template[id]!]!.steps.length;
    this.cal.schedule(this.segments.travel(id, after), last ? this.on.atApp : this.on.atHop, id);
  }

  atHop(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    const st = this.w.templates[k.template[id]!]!.steps[k.step[id]!]!;
    const p = this.hops.resolve(st, k.src[id]!, k.dst[id]!, k.waypoint[id]!);
    const node = this.w.proxyNode[p]!;
    if (this.pods.nodeDark[node] === 1) this.pods.hang(id, node);
    // A dead proxy refuses the connection: connect-failure, which Istio's retry policy retries.
    else if (this.proxies.up[p] === 0) this.failAttempt(id);
    else this.serve(id, p);
  }

  /** Proxy `p` takes the call: its worker, CPU and critical-path time, and the segment it opens. */
  private serve(id: number, p: number): void {
    const w = this.w;
    const k = this.calls;
    const proxies = this.proxies;
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
    const now = this.cal.now;
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
    if (start < this.duration) this.rec.cpu(CPU_PROXIES + cls, start, Math.min(cpu, this.duration - start));
    k.step[id] = s + 1;
    this.proceed(id, start - now + crit / proxies.speed[cls]!);
  }

  // ---- the called application ---------------------------------------------------------------------------

  atApp(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    if (this.pods.nodeDark[this.pods.node[dst]!] === 1) return this.pods.hang(id, this.pods.node[dst]!);
    // The pod it was sent to is gone, or was replaced meanwhile: the connection is refused.
    if (k.doomed[id] || this.pods.refuses(dst, k.dstGen[id]!)) {
      this.failAttempt(id);
      return;
    }
    k.phase[id] = WAITING_FOR_APP;
    if (this.apps.queues[dst]!.acquire(id) === GRANTED) this.appStart(id);
  }

  appStart(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    k.phase[id] = IN_APP;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    const t = this.apps.serviceTime(dst);
    const now = this.cal.now;
    if (now >= this.warmup) this.apps.cpu[dst]! += t;
    this.rec.cpu(CPU_APP, now, t);
    k.nextEdge[id] = 0;
    k.repeatLeft[id] = -1;
    k.outstanding[id] = 0;
    this.cal.schedule(t, this.on.nextBatch, id);
  }

  /**
   * Issues the next batch of downstream calls: a sequential call edge one call at a time, a run of
   * consecutive parallel edges all at once. Answers when none are left, or as soon as one failed.
   */
  nextBatch(id: number): void {
    const w = this.w;
    const k = this.calls;
    const apps = this.apps;
    const dst = k.dst[id]!;
    const edges = w.services[w.podService[dst]!]!.edgeList;
    const n = edges.length;
    const measured = k.measured[id] === 1;
    let next = k.nextEdge[id]!;
    while (k.failed[id] === 0 && next < n) {
      const e = edges[next]!;
      if (e.parallel) {
        const from = next;
        while (next < n && edges[next]!.parallel) next++;
        k.nextEdge[id] = next;
        // Draw every count first so outstanding is complete before any child can answer.
        const issued = apps.drawCounts(edges, from, next);
        k.outstanding[id]! += issued;
        if (issued > 0) {
          for (let i = from; i < next; i++) {
            const pe = edges[i]!;
            for (let c = apps.counts[i - from]!; c > 0; c--) this.issue(pe.id, dst, id, measured);
          }
          return;
        }
        continue;
      }
      let left = k.repeatLeft[id]!;
      if (left < 0) left = apps.drawCount(e);
      if (left > 0) {
        k.repeatLeft[id] = left - 1;
        k.nextEdge[id] = next;
        k.outstanding[id] = 1;
        this.issue(e.id, dst, id, measured);
        return;
      }
      next++;
      k.repeatLeft[id] = -1;
    }
    k.nextEdge[id] = next;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    apps.queues[dst]!.release();
    k.phase[id] = ANSWERED;
    this.cal.schedule(k.net[id]!, this.on.complete, id);
  }

  private childDone(parent: number, failed: boolean): void {
    const k = this.calls;
    if (failed) k.failed[parent] = 1;
    if (--k.outstanding[parent]! === 0) this.nextBatch(parent);
  }

  complete(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    this.endAttempt(id);
    this.finish(id, k.failed[id] === 1);
  }

  /** Undoes what an attempt holds: its endpoint's in-flight count, pooled requests, its own connection. */
  private endAttempt(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    if (dst < 0) return;
    if (k.phase[id] === IN_APP) this.apps.queues[dst]!.release();
    this.balancing.active[dst]!--;
    this.conns.busy[k.slot[id]!]!--;
    // Pooled requests were counted when the call passed that proxy (the pair was remembered then).
    this.pools.requestDone(k.pool[id]!);
    this.pools.requestDone(k.pool2[id]!);
    if (this.w.edges[k.edge[id]!]!.connType === PER_REQUEST && k.fresh[id]! & 1) {
      this.conns.count--;
      this.segments.closeChain(k.template[id]!, k.src[id]!, dst, k.waypoint[id]!);
    }
    k.dst[id] = -1;
  }

  /**
   * The attempt failed (connection refused or reset, no endpoint, its pod or proxy died): what it held
   * is released and it is retried or fails (retries.ts says when).
   */
  failAttempt(id: number): void {
    this.endAttempt(id);
    this.calls.phase[id] = ON_THE_WAY_IN;
    this.retryOrFail(id);
  }

  /** Timeouts are not retried (Istio's default policy has no per-try timeout); they never come here. */
  retryOrFail(id: number): void {
    const k = this.calls;
    const edge = this.w.edges[k.edge[id]!]!;
    if (!k.abandoned[id] && this.retries.mayRetry(edge, k.attempt[id]!, this.pods.kind[k.src[id]!]!)) {
      const attempt = ++k.attempt[id]!;
      this.rec.retried(edge.id, k.measured[id] === 1, this.cal.now);
      this.cal.schedule(this.retries.backoff(attempt), this.on.startAttempt, id);
      return;
    }
    this.finish(id, true);
  }

  timeout(id: number): void {
    const k = this.calls;
    k.timer[id] = -1;
    k.abandoned[id] = 1;
    const parent = k.parent[id]!;
    this.rec.timedOut(k.edge[id]!, parent, k.measured[id] === 1, this.cal.now);
    if (parent >= 0) this.childDone(parent, true);
    else this.returned(id);
  }

  /** The call has its answer (or its final failure): record it and tell whoever made it. */
  private finish(id: number, failed: boolean): void {
    const k = this.calls;
    if (k.abandoned[id]) {
      k.release(id);
      return;
    }
    if (k.timer[id]! >= 0) this.cal.cancel(k.timer[id]!);
    const now = this.cal.now;
    const parent = k.parent[id]!;
    this.rec.finished(k.edge[id]!, parent, k.measured[id] === 1, failed, now - k.start[id]!, now);
    k.release(id);
    if (parent >= 0) this.childDone(parent, failed);
    else this.returned(id);
  }
}
