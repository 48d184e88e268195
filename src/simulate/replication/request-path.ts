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
//   failAttempt           any phase                endAttempt -> retryOrFail (where it failed, what the retrier saw)
//   retryOrFail           failed attempt           startAttempt after a back-off | finish(failed) (retries.ts)
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
import { Failures } from './failures.ts';
import { HopWork } from './hop-work.ts';
import type { Hops } from './hops.ts';
import { childKey } from './keyed-random.ts';
import * as kinds from './kinds.ts';
import type { Locality } from './locality.ts';
import { Handlers, type Parts } from './parts.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import type { Recorder } from './recorder.ts';
import type { Retries } from './retries.ts';
import * as retry from './retries.ts';
import type { Segments } from './segments.ts';
import type { UpstreamPools } from './upstream-pools.ts';

// Copied into module constants: an imported binding is re-read (with a hole check) on every access and
// cannot be folded into the hot lines below, a module constant can.
const ANSWERED = kinds.ANSWERED;
const CPU_APP = kinds.CPU_APP;
const IN_APP = kinds.IN_APP;
const LONG_LIVED = kinds.LONG_LIVED;
const ON_THE_WAY_IN = kinds.ON_THE_WAY_IN;
const PER_REQUEST = kinds.PER_REQUEST;
const WAITING_FOR_APP = kinds.WAITING_FOR_APP;
const BEFORE_SEND = retry.BEFORE_SEND;

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
  private readonly failures: Failures;
  private readonly hopWork: HopWork;
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
    this.failures = new Failures(p.w, p.calls, p.pods, p.proxies);
    this.hopWork = new HopWork(p, segments);
    this.warmup = p.w.scenario.simulation.warmup;
    this.duration = p.w.scenario.simulation.duration;
  }

  // ---- entry points ------------------------------------------------------------------------------------

  arrive(i: number): void {
    const now = this.cal.now;
    const measured = now >= this.warmup;
    this.rec.arrival(i, measured, now);
    const key = this.arrivals.key(i);
    const src = this.arrivals.client(i);
    // No load generator could be scheduled: the request is offered and fails at once.
    if (src < 0) this.rec.refused(i, measured, now);
    else this.issue(this.w.entryEdges[i]!, src, -1, measured, key);
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
    else this.loops.sent(c, this.issue(this.w.entryEdges[i]!, src, -1, measured, this.arrivals.key(i)));
  }

  /** A root call returned or was given up on: its closed-loop connection, if any, goes again. */
  private returned(id: number): void {
    const c = this.loops.returned(id);
    if (c < 0) return;
    const next = this.loops.nextSend(c, this.cal.now);
    if (next < this.duration) this.cal.scheduleAt(next, this.on.send, c);
  }

  // ---- calls ---------------------------------------------------------------------------------------------

  private issue(edgeId: number, src: number, parent: number, measured: boolean, key: number): number {
    const k = this.calls;
    const id = k.begin(edgeId, parent, src, this.cal.now, measured, key);
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
      // No ready endpoint: the caller's proxy answers 503 itself (no healthy upstream), a local reply no
      // retry policy retries; without a proxy the connection is refused. Either way it fails at step 0.
      this.cal.schedule(0, this.on.retryOrFail, id);
      return;
    }
    const slot = conns.pick(edge, src);
    let fresh = 0;
    let wait = 0;
    if (edge.connType === PER_REQUEST || !conns.open[slot]) {
      // A client whose connection was reset reconnects only after its back-off.
      if (conns.reconnectAt[slot]! > now) wait = conns.reconnectAt[slot]! - now;
      this.segments.openSlot(edge, src, slot, pods, k.key[id]!, k.attempt[id]!);
      fresh = 1;
    } else if (edge.connType === LONG_LIVED && now >= conns.expiry[slot]!) {
      this.segments.closeSlot(slot, src);
      this.segments.openSlot(edge, src, slot, pods, k.key[id]!, k.attempt[id]!);
      fresh = 1;
    }
    const perRequest = lbPerRequest(w, edge, kind[src]!);
    const dst = perRequest ? this.segments.pickPerRequest(id, slot, pods) : conns.dst[slot]!;
    const tpl = templateFor(edge, kind[src]!, kind[dst]!);
    k.slot[id] = slot;
    conns.busy[slot]!++;
    k.dst[id] = dst;
    // A connection-bound request goes to the process its connection reached, even once that is replaced.
    k.dstGen[id] = perRequest ? this.pods.routedGen(dst, now) : conns.dstGen[slot]!;
    k.waypoint[id] = conns.waypoint[slot]!;
    k.template[id] = tpl;
    k.fresh[id] = fresh;
    if (k.measured[id]) this.rec.route(edge.id, edge.l7, w.templates[tpl]!);
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
    // Where its pod runs now (an autoscaler or a drain may have placed it since the start).
    const node = this.pods.node[this.w.proxyPod[p]!]!;
    if (this.pods.nodeDark[node] === 1) this.pods.hang(id, node);
    // A dead proxy refuses the connection before the request is sent (connect-failure).
    else if (this.proxies.up[p] === 0) this.failAt(id, k.step[id]!, BEFORE_SEND);
    else this.serve(id, p);
  }

  /** Proxy `p` takes the call (hop-work.ts): it moves on after its wait, worker and critical-path time. */
  private serve(id: number, p: number): void {
    this.proceed(id, this.hopWork.take(id, p));
  }

  // ---- the called application ---------------------------------------------------------------------------

  atApp(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    const node = this.pods.node[dst]!;
    if (this.pods.nodeDark[node] === 1) {
      this.pods.hang(id, node);
      return;
    }
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    // The pod it was sent to is gone, or was replaced meanwhile, or its application is down.
    if (this.pods.refuses(dst, k.dstGen[id]!)) {
      this.failAt(id, this.w.templates[k.template[id]!]!.steps.length, this.failures.refusalSeen(id));
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
    const t = this.apps.serviceTime(dst, k.key[id]!, k.attempt[id]!);
    const now = this.cal.now;
    if (now >= this.warmup) this.apps.cpu[dst]! += t;
    this.apps.used[dst]! += t;
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
        const key = k.key[id]!;
        const attempt = k.attempt[id]!;
        const issued = apps.drawCounts(edges, from, next, key, attempt);
        k.outstanding[id]! += issued;
        if (issued > 0) {
          for (let i = from; i < next; i++) {
            const pe = edges[i]!;
            for (let c = apps.counts[i - from]!; c > 0; c--)
              this.issue(pe.id, dst, id, measured, childKey(key, attempt, pe.id, c));
          }
          return;
        }
        continue;
      }
      let left = k.repeatLeft[id]!;
      if (left < 0) left = apps.drawCount(e, k.key[id]!, k.attempt[id]!);
      if (left > 0) {
        k.repeatLeft[id] = left - 1;
        k.nextEdge[id] = next;
        k.outstanding[id] = 1;
        this.issue(e.id, dst, id, measured, childKey(k.key[id]!, k.attempt[id]!, e.id, left));
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
    this.segments.endAttempt(id);
    this.finish(id, k.failed[id] === 1);
  }

  /** A doomed attempt fails where something died under it (failures.ts: what its retrier sees). */
  failAttempt(id: number): void {
    this.failAt(id, this.calls.doomed[id]! - 1, this.failures.doomedSeen(id));
  }

  /** The attempt failed at step `at`, seen as `seen` (retries.ts): what it held is released. */
  private failAt(id: number, at: number, seen: number): void {
    this.segments.endAttempt(id);
    this.calls.phase[id] = ON_THE_WAY_IN;
    this.retryOrFail(id, at, seen);
  }

  /** Retried or failed (retries.ts); by default a local failure at step 0. Timeouts never come here. */
  retryOrFail(id: number, at = 0, seen: number = BEFORE_SEND): void {
    const k = this.calls;
    const edge = this.w.edges[k.edge[id]!]!;
    if (!k.abandoned[id] && this.retries.mayRetry(edge, k.attempt[id]!, k.template[id]!, at, seen)) {
      const attempt = ++k.attempt[id]!;
      this.rec.retried(edge.id, k.measured[id] === 1, this.cal.now);
      this.cal.schedule(this.retries.backoff(attempt, k.key[id]!), this.on.startAttempt, id);
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
