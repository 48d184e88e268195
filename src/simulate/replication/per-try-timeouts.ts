// A VirtualService's retries.perTryTimeout (Envoy's per_try_timeout): the Envoy that retries a call (its
// caller's sidecar, or the waypoint; retries.ts) gives each attempt that long. Then it resets the attempt,
// whose endpoint counts a 504 for outlier detection, and decides as after an upstream reset once the
// request was sent: a retry only where the policy's retryOn has `reset`, `5xx` or `gateway-error`, which
// Istio's default conditions have not, else the call fails with a 504 (envoyproxy/envoy
// source/common/router/router.cc onPerTryTimeoutCommon, maybeRetryReset with the stream's LocalReset;
// source/common/router/retry_state_impl.cc wouldRetryFromReset and the note in
// shouldHedgeRetryPerTryTimeout: "non-hedged per try timeouts ... are only retried if the applicable retry
// policy specifies either RETRY_ON_5XX or RETRY_ON_GATEWAY_ERROR"). The route's own timeout still spans
// every attempt.
// The reset attempt's work runs on where it is (the callee does not learn of it): its call moves to a new
// id, which retries or fails, and the old id finishes as a call its caller gave up on.
// ASSUMPTION: the timer starts with the attempt at the caller, not when its Envoy sends it upstream (they
// differ by the caller-side hop, well under a millisecond).
import type { Calendar } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import { holding } from '../grown.ts';
import type { World } from '../world/index.ts';
import type { EndpointChoice } from './endpoint-choice.ts';
import { Handlers, type Parts } from './parts.ts';
import type { Retries } from './retries.ts';

export class PerTryTimeouts {
  /** By call id: the pending per-try timer, -1 if none. */
  private timer = new Float64Array(0);
  private readonly w: World;
  private readonly cal: Calendar;
  private readonly calls: CallTable;
  private readonly retries: Retries;
  /** The state machine's handlers (set by the request path, which owns them). */
  on = new Handlers();
  /** Whether any call sets one: where none does, the request path never asks. */
  readonly any: boolean;
  private readonly p: Parts;
  private readonly choice: EndpointChoice;

  constructor(p: Parts, choice: EndpointChoice) {
    this.p = p;
    this.choice = choice;
    this.w = p.w;
    this.cal = p.cal;
    this.calls = p.calls;
    this.retries = p.retries;
    this.any = p.w.edges.some((e) => e.perTryTimeout < Number.POSITIVE_INFINITY);
  }

  /** Attempt of call `id` on route `tpl` starts: its timer, where an Envoy retries the call. */
  start(id: number, tpl: number): void {
    const limit = this.w.edges[this.calls.edge[id]!]!.perTryTimeout;
    if (limit === Number.POSITIVE_INFINITY || this.retries.retrier[tpl]! < 0) return;
    this.timer = holding(this.timer, id);
    this.timer[id] = this.cal.schedule(limit, this.on.tryTimeout, id);
  }

  /**
   * Call `id`'s timer fired: its Envoy resets the attempt (its endpoint counts a 504; what the attempt held
   * of the breakers and retry limits frees), and the call moves to a new id, returned for its retry or its
   * failure; -1 when its caller gave up on it already.
   */
  expire(id: number): number {
    this.timer[id] = -1;
    const k = this.calls;
    if (k.abandoned[id]) return -1;
    this.p.outliers.timedOut(id, this.cal.now);
    this.choice.release(id);
    const call = this.detach(id);
    if (k.measured[call] === 1) this.p.recorder.edgePerTryTimeouts[k.edge[call]!]!++;
    // A closed-loop connection waits on the call, not on the attempt.
    if (k.parent[call]! < 0) this.p.loops.moved(id, call);
    return call;
  }

  /** Call `id`'s attempt ended before its timer: the timer goes. */
  cancel(id: number): void {
    if (id >= this.timer.length || this.timer[id]! < 0) return;
    this.cal.cancel(this.timer[id]!);
    this.timer[id] = -1;
  }

  /**
   * The call moves from `id` to a new id (returned), which inherits what the next attempt needs (its
   * start, attempts so far, the endpoints tried, the route's timer); `id` is left to its attempt, given up
   * on.
   */
  private detach(id: number): number {
    const k = this.calls;
    const fresh = k.begin(
      k.edge[id]!,
      k.parent[id]!,
      k.src[id]!,
      k.start[id]!,
      k.measured[id] === 1,
      k.key[id]!,
    );
    k.attempt[fresh] = k.attempt[id]!;
    k.template[fresh] = k.template[id]!;
    k.slot[fresh] = k.slot[id]!;
    k.tried2[fresh] = k.tried[id]!;
    k.tried[fresh] = k.dst[id]!;
    k.newAttempt(fresh);
    if (k.timer[id]! >= 0) {
      this.cal.cancel(k.timer[id]!);
      k.timer[id] = -1;
      const edge = this.w.edges[k.edge[id]!]!;
      // Where the first attempt's schedule(timeout) put it.
      k.timer[fresh] = this.cal.scheduleAt(k.start[id]! + edge.timeout, this.on.timeout, fresh);
    }
    k.abandoned[id] = 1;
    return fresh;
  }
}
