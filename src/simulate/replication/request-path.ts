// The state machine of a call: the only code that calls across the parts of a replication. Calls live in
// a CallTable and events carry call ids, so nothing is allocated per event.
//   event / call       state                  next
//   arrive, send       a request enters       issue -> startAttempt (entries.ts paces open and closed loops)
//   startAttempt       ON_THE_WAY_IN, step 0  atHop after the first link | atApp | retryOrFail (no endpoint)
//                                             | pending for a connection (circuit-breakers.ts): connectionGranted
//   atHop -> hopRun    at a proxy's worker    its CPU on the node: a short job moves on after it, else cpuDone
//   cpuDone            node CPU done          hop: atHop | atApp after the non-CPU time; app: nextBatch
//   atApp -> appStart  at the callee's pod    WAITING_FOR_APP, IN_APP: its CPU part, then its waiting part
//   nextBatch          IN_APP, calls out      issue children; childDone -> nextBatch; ANSWERED -> complete
//   complete           ANSWERED               finish (endAttempt first); failAttempt if doomed
//   failAttempt        any phase              endAttempt -> retryOrFail (where it failed, what the retrier saw)
//   retryOrFail        failed attempt         startAttempt after a back-off | finish(failed) (retries.ts)
//   timeout            the caller gives up    abandoned (runs on, then vanishes); parent's childDone(failed)
//   tryTimeout         an attempt's time up   its call moves to a new id -> retryOrFail (per-try-timeouts.ts)
//   finish             answered or failed     record; release; parent's childDone
import type { Calendar } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import { lbPerRequest, templateFor, type World } from '../world/index.ts';
import { type Applications, CALL_COUNT, CALL_EDGE, CALL_PARALLEL, CALL_STRIDE } from './applications.ts';
import type { Connections } from './connections.ts';
import { Entries } from './entries.ts';
import { Failures } from './failures.ts';
import { HopWork } from './hop-work.ts';
import type { Hops } from './hops.ts';
import { childKey } from './keyed-random.ts';
import * as kinds from './kinds.ts';
import type { Mixes } from './mixes.ts';
import type { NodeCpu } from './node-cpu.ts';
import type { Outliers } from './outliers.ts';
import { Handlers, type Parts } from './parts.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import type { Recorder } from './recorder.ts';
import { Refusals } from './refusals.ts';
import type { Retries } from './retries.ts';
import * as retry from './retries.ts';
import type { Segments } from './segments.ts';

// Copied into module constants: an imported binding is re-read (with a hole check) on every access and
// cannot be folded into the hot lines below, a module constant can.
const ANSWERED = kinds.ANSWERED;
const CPU_APP = kinds.CPU_APP;
const IN_APP = kinds.IN_APP;
const ON_THE_WAY_IN = kinds.ON_THE_WAY_IN;
const WAITING_FOR_APP = kinds.WAITING_FOR_APP;
const BEFORE_SEND = retry.BEFORE_SEND;
const AFTER_SEND = retry.AFTER_SEND;
const STATUS_500 = retry.STATUS_500;
const APP_CPU = kinds.APP_CPU;

export class RequestPath {
  readonly on = new Handlers();
  private readonly w: World;
  private readonly cal: Calendar;
  private readonly calls: CallTable;
  private readonly mixes: Mixes;
  private readonly pods: Pods;
  private readonly apps: Applications;
  private readonly proxies: Proxies;
  private readonly cpu: NodeCpu;
  private readonly hops: Hops;
  private readonly conns: Connections;
  private readonly outliers: Outliers;
  private readonly retries: Retries;
  private readonly rec: Recorder;
  private readonly segments: Segments;
  private readonly failures: Failures;
  private readonly hopWork: HopWork;
  readonly entries: Entries;
  private readonly warmup: number;
  private readonly refusals: Refusals;

  constructor(p: Parts, segments: Segments) {
    this.w = p.w;
    this.cal = p.cal;
    this.calls = p.calls;
    this.mixes = p.mixes;
    this.pods = p.pods;
    this.apps = p.apps;
    this.proxies = p.proxies;
    this.cpu = p.cpu;
    this.hops = p.hops;
    this.conns = p.connections;
    this.outliers = p.outliers;
    this.retries = p.retries;
    this.rec = p.recorder;
    this.segments = segments;
    this.failures = new Failures(p.w, p.calls, p.pods, p.proxies);
    this.hopWork = new HopWork(p, segments);
    this.entries = new Entries(p, this.on, (e, src, m, key) => this.issue(e, src, -1, m, key));
    segments.choice.breakers.onGranted = (id) => this.connectionGranted(id);
    segments.perTry.on = this.on;
    this.warmup = p.w.scenario.simulation.warmup;
    this.refusals = new Refusals(p, segments, (id, at, seen) => this.failAt(id, at, seen));
  }

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
    const conns = this.conns;
    const kind = this.pods.kind;
    k.newAttempt(id);
    const perRequest = lbPerRequest(w, edge, kind[src]!);
    const wps = this.pods.waypointEndpoints[edge.id] ?? null;
    const gws = this.pods.gatewayEndpoints[edge.id] ?? null;
    const pods = this.segments.choice.callerEndpoints(id, edge, perRequest, wps !== null || gws !== null);
    if (pods.length === 0 || (wps !== null && wps.length === 0) || (gws !== null && gws.length === 0)) {
      // No ready endpoint: the caller's proxy answers 503 itself (no healthy upstream), a local reply no
      // retry policy retries; without a proxy the connection is refused. Either way it fails at step 0.
      this.cal.post(0, this.on.retryOrFail, id);
      return;
    }
    const slot = conns.attemptSlot(edge, src, k.attempt[id]!, k.slot[id]!);
    // -1: its connection was open; else the wait before a new one is used (segments.ts connect).
    const opened = this.segments.connect(edge, src, slot, pods, k.key[id]!, k.attempt[id]!, perRequest);
    const fresh = opened >= 0 ? 1 : 0;
    const dst = perRequest ? this.segments.choice.pickPerRequest(id, slot, pods) : conns.dstOf(slot);
    const tpl = templateFor(edge, kind[src]!, kind[dst]!);
    k.slot[id] = slot;
    conns.addBusy(slot, 1);
    k.dst[id] = dst;
    // A connection-bound request goes to the process its connection reached, even once that is replaced.
    k.dstGen[id] = perRequest ? this.pods.routedGen(dst, this.cal.now) : conns.dstGenOf(slot);
    k.waypoint[id] = conns.waypointOf(slot);
    k.gateway[id] = conns.gatewayOf(slot);
    k.template[id] = tpl;
    if (this.segments.perTry.any) this.segments.perTry.start(id, tpl);
    // Its balancing Envoy may answer 503 itself (endpoint-choice.ts takeLocalReply).
    const local = this.segments.choice.takeLocalReply(tpl);
    if (local > 0) k.doomed[id] = local;
    k.fresh[id] = fresh;
    if (k.measured[id]) this.rec.route(edge, w.templates[tpl]!, kind[dst]!);
    if (fresh) this.segments.firstOpened(id, tpl, src, dst, slot);
    // Pending for a connection of its balancing Envoy (circuit-breakers.ts): connectionGranted goes on.
    if (!perRequest || !this.segments.choice.takePending()) this.proceed(id, fresh ? opened : 0);
  }

  /** A pending attempt has its connection; one whose caller gave up meanwhile ends here. */
  private connectionGranted(id: number): void {
    if (this.calls.abandoned[id]) this.segments.endAbandoned(id);
    else this.proceed(id, 0);
  }

  /** Moves a call to its next position after `after` seconds spent at the current one. */
  private proceed(id: number, after: number): void {
    const k = this.calls;
    const last = k.step[id]! >= this.w.templates[k.template[id]!]!.steps.length;
    this.cal.post(this.segments.travel(id, after), last ? this.on.atApp : this.on.atHop, id);
  }

  atHop(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    const st = this.w.templates[k.template[id]!]!.steps[k.step[id]!]!;
    // A proxy that refuses the attempt outright (refusals.ts); the flags keep the common hop from asking.
    const ask = st.plaintextIn || st.blackHole || (st.envoyTlsIn && this.segments.envoyTls);
    if (ask && this.refusals.refused(id, st)) return;
    const p = this.hops.resolve(st, k.src[id]!, k.dst[id]!, k.waypoint[id]!, k.gateway[id]!);
    // Where its pod runs now (an autoscaler or a drain may have placed it since the start).
    const node = this.pods.proxyNode[p]!;
    if (this.pods.nodeDark[node] === 1) this.pods.hang(id, node);
    // A dead proxy refuses the connection before the request is sent (connect-failure).
    else if (this.proxies.up[p] === 0) this.failAt(id, k.step[id]!, BEFORE_SEND);
    // Proxy `p` takes the call (hop-work.ts); a free worker starts on it at once.
    else if (this.hopWork.take(id, p)) this.hopRun(id);
  }

  /** A worker of the call's proxy runs its hop (proxies.ts hands it over from the queue). */
  hopRun(id: number): void {
    const on = this.hopWork.run(id);
    if (on >= 0) this.proceed(id, on + this.proxies.hopNonCpu[id]!);
  }

  /** A node processor finished a job: a hop's CPU (hop-work.ts), or an application's CPU part. */
  cpuDone(token: number): void {
    if ((token & 3) !== APP_CPU) {
      const id = this.hopWork.cpuDone(token);
      if (id >= 0) this.proceed(id, this.proxies.hopNonCpu[id]!);
      return;
    }
    const i = token >>> 2;
    const wait = this.apps.wait[i]!;
    if (wait > 0) this.cal.post(wait, this.on.nextBatch, i);
    else this.nextBatch(i);
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
    // Its route or version (mixes.ts) sets its service time and calls; the CPU part is asked of the node.
    const b = this.mixes.behaviour(this.w.edges[k.edge[id]!]!, dst, k.key[id]!, k.measured[id] === 1);
    k.behaviour[id] = b;
    this.cpu.offer(this.cpu.app(dst), node, this.apps.draw(id, dst, k.key[id]!, k.attempt[id]!, b));
    if (this.apps.queues.acquire(dst, id)) this.appStart(id);
  }

  appStart(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    k.phase[id] = IN_APP;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    const cpu = this.apps.cpuOf[id]!;
    const now = this.cal.now;
    if (now >= this.warmup) this.apps.cpu[dst]! += cpu;
    this.rec.cpu(CPU_APP, now, cpu);
    this.apps.used[dst]! += cpu;
    k.nextEdge[id] = 0;
    k.repeatLeft[id] = -1;
    k.outstanding[id] = 0;
    // Its CPU part runs on the pod's node (stretched by contention), then its waiting part.
    const app = this.cpu.app(dst);
    if (cpu > 0 && !this.cpu.fast(app, this.pods.node[dst]!, cpu))
      this.cpu.start(app, this.pods.node[dst]!, cpu, id * 4 + APP_CPU);
    else this.cal.post(cpu + this.apps.wait[id]!, this.on.nextBatch, id);
  }

  /**
   * Issues the next batch of downstream calls: a sequential call edge one call at a time, a run of
   * consecutive parallel edges all at once. Answers when none are left, or as soon as one failed.
   */
  nextBatch(id: number): void {
    const k = this.calls;
    const apps = this.apps;
    const dst = k.dst[id]!;
    const T = apps.callTable;
    const behaviour = k.behaviour[id]!;
    const base = apps.callStart[behaviour]!;
    const n = apps.callStart[behaviour + 1]! - base;
    const measured = k.measured[id] === 1;
    const key = k.key[id]!;
    const attempt = k.attempt[id]!;
    let next = k.nextEdge[id]!;
    while (k.failed[id] === 0 && next < n) {
      const at = (base + next) * CALL_STRIDE;
      if (T[at + CALL_PARALLEL] === 1) {
        const from = next;
        while (next < n && T[(base + next) * CALL_STRIDE + CALL_PARALLEL] === 1) next++;
        k.nextEdge[id] = next;
        // Draw every count first so outstanding is complete before any child can answer.
        const issued = apps.drawCounts(base + from, base + next, key, attempt);
        k.outstanding[id]! += issued;
        if (issued > 0) {
          for (let i = from; i < next; i++) {
            const edge = T[(base + i) * CALL_STRIDE + CALL_EDGE]!;
            for (let c = apps.counts[i - from]!; c > 0; c--)
              this.issue(edge, dst, id, measured, childKey(key, attempt, edge, c));
          }
          return;
        }
        continue;
      }
      let left = k.repeatLeft[id]!;
      const edge = T[at + CALL_EDGE]!;
      if (left < 0) left = apps.drawCount(T[at + CALL_COUNT]!, edge, key, attempt);
      if (left > 0) {
        k.repeatLeft[id] = left - 1;
        k.nextEdge[id] = next;
        k.outstanding[id] = 1;
        this.issue(edge, dst, id, measured, childKey(key, attempt, edge, left));
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
    apps.queues.release(dst);
    k.phase[id] = ANSWERED;
    this.cal.post(k.net[id]!, this.on.complete, id);
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
    this.outliers.answered(id, this.cal.now);
    this.segments.endAttempt(id);
    // An error the application answered (one of its calls failed) is retried where retryOn has 5xx.
    if (k.failed[id] === 1) this.retryOrFail(id, this.w.templates[k.template[id]!]!.steps.length, STATUS_500);
    else this.finish(id, false);
  }

  /** A doomed attempt fails where something died under it (failures.ts: what its retrier sees). */
  failAttempt(id: number): void {
    this.failAt(id, this.calls.doomed[id]! - 1, this.failures.doomedSeen(id));
  }

  /** The attempt failed at step `at`, seen as `seen` (retries.ts): what it held is released. */
  private failAt(id: number, at: number, seen: number): void {
    this.outliers.failed(id, at, this.cal.now);
    this.segments.endAttempt(id);
    this.calls.phase[id] = ON_THE_WAY_IN;
    this.retryOrFail(id, at, seen);
  }

  /** Retried or failed (retries.ts); by default a local failure at step 0. Timeouts never come here. */
  retryOrFail(id: number, at = 0, seen: number = BEFORE_SEND): void {
    const k = this.calls;
    const edge = this.w.edges[k.edge[id]!]!;
    const wanted = !k.abandoned[id] && this.retries.mayRetry(edge, k.attempt[id]!, k.template[id]!, at, seen);
    if (this.segments.choice.retryAdmitted(id, edge, wanted)) {
      const attempt = ++k.attempt[id]!;
      this.rec.retried(edge.id, k.measured[id] === 1, this.cal.now);
      this.cal.post(this.retries.backoff(edge, attempt, k.key[id]!), this.on.startAttempt, id);
      return;
    }
    this.finish(id, true);
  }

  /** An attempt outlived its per-try timeout (per-try-timeouts.ts): the call, moved, is retried or fails. */
  tryTimeout(id: number): void {
    const call = this.segments.perTry.expire(id);
    if (call >= 0)
      this.retryOrFail(call, this.w.templates[this.calls.template[call]!]!.steps.length, AFTER_SEND);
  }

  timeout(id: number): void {
    const k = this.calls;
    k.timer[id] = -1;
    // The Envoy that enforces it (if one balanced the attempt) counts a 504 and resets the request, and
    // with it (HTTP/1.1) its upstream connection.
    this.outliers.timedOut(id, this.cal.now);
    this.segments.choice.release(id);
    k.abandoned[id] = 1;
    const parent = k.parent[id]!;
    this.rec.timedOut(k.edge[id]!, parent, k.measured[id] === 1, this.cal.now);
    if (parent >= 0) this.childDone(parent, true);
    else this.entries.returned(id);
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
    if (parent < 0 && !failed && k.measured[id] === 1)
      this.mixes.entryCompleted(this.w.edges[k.edge[id]!]!.entry, k.key[id]!, now - k.start[id]!);
    k.release(id);
    if (parent >= 0) this.childDone(parent, failed);
    else this.entries.returned(id);
  }
}
