// Which endpoint an attempt goes to, and whether the Envoy that picks it lets it go: the caller's close
// endpoints (locality.ts, mixes.ts), the balancing Envoy's per-request pick over them (balancing.ts,
// outliers.ts), a TCP connection's pick by a waypoint or gateway from its own locality, and that Envoy's
// circuit breakers (circuit-breakers.ts). What it decides about an attempt the request path takes once
// the attempt is set up: a 503 the Envoy answers itself (takeLocalReply) or a wait for a connection
// (takePending). Part of the request path (request-path.ts, segments.ts).
import type { Calendar } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import type { Edge, World } from '../world/index.ts';
import type { Balancing } from './balancing.ts';
import { CircuitBreakers, PENDING, REFUSED } from './circuit-breakers.ts';
import type { Connections } from './connections.ts';
import * as kinds from './kinds.ts';
import type { Locality } from './locality.ts';
import type { Mixes } from './mixes.ts';
import type { Outliers } from './outliers.ts';
import type { Parts } from './parts.ts';
import type { Pods } from './pods.ts';
import type { Recorder } from './recorder.ts';
import type { Retries } from './retries.ts';
import { RetryLimits } from './retry-limits.ts';

// Copied into module constants (see request-path.ts).
const POOL = kinds.POOL;
const GATEWAY = kinds.GATEWAY;
const PLAIN = kinds.PLAIN_POD;
const SIDECAR_POD = kinds.SIDECAR_POD;

export class EndpointChoice {
  private readonly w: World;
  private readonly cal: Calendar;
  private readonly calls: CallTable;
  private readonly pods: Pods;
  private readonly conns: Connections;
  private readonly balancing: Balancing;
  private readonly locality: Locality;
  private readonly mixes: Mixes;
  private readonly outliers: Outliers;
  private readonly rec: Recorder;
  private readonly retries: Retries;
  /**
   * Set by connectionEndpoints and pickPerRequest: the balancing Envoy has no endpoint of a node-local
   * service on its node.
   */
  private noEndpoint = false;
  /** Set by pickPerRequest: the balancing Envoy's circuit breakers refused the attempt. */
  private overflow = false;
  /** Set by pickPerRequest: the attempt waits for a connection (circuit-breakers.ts). */
  private pending = false;
  readonly breakers: CircuitBreakers;
  /** breakers.any, in this object's own fields (read on every request). */
  readonly breakersOn: boolean;
  readonly retryLimits: RetryLimits;
  /** Whether an attempt's end has a circuit breaker's or a retry limit's count to release. */
  readonly holdsLimits: boolean;

  constructor(p: Parts) {
    this.w = p.w;
    this.cal = p.cal;
    this.calls = p.calls;
    this.pods = p.pods;
    this.conns = p.connections;
    this.balancing = p.balancing;
    this.locality = p.locality;
    this.mixes = p.mixes;
    this.outliers = p.outliers;
    this.rec = p.recorder;
    this.retries = p.retries;
    this.breakers = new CircuitBreakers(p);
    this.breakersOn = this.breakers.any;
    this.retryLimits = new RetryLimits(p, this.breakers);
    this.holdsLimits = this.breakersOn || this.retryLimits.any;
  }

  /** Call `id`'s attempt, or the call, ended: what it held of the breakers and the retry limits frees. */
  release(id: number): void {
    this.breakers.release(id);
    this.retryLimits.release(id);
  }

  /**
   * Whether call `id` over `edge`, whose retry policy wants another attempt (`wanted`), makes it: its
   * balancing Envoy's retry limit (retry-limits.ts) may stop it, and the call then fails with its
   * attempt's failure. Either way a retry it held before is no longer outstanding (Envoy releases it at
   * every retry decision).
   */
  retryAdmitted(id: number, edge: Edge, wanted: boolean): boolean {
    const limits = this.retryLimits;
    if (!limits.any) return wanted;
    limits.release(id);
    if (!wanted) return false;
    const k = this.calls;
    const block = this.balancing.subsetBlock(
      this.conns.lbBlockOf(k.slot[id]!),
      edge.to,
      this.mixes.subset(edge, k.key[id]!),
    );
    if (limits.admit(id, edge, block)) return true;
    if (k.measured[id] === 1) this.rec.edgeRetryOverflows[edge.id]!++;
    return false;
  }

  /**
   * The endpoints an attempt of call `id` over `edge` may go to (empty: none ready): the
   * close ones of its chooser (locality.ts; kube-proxy for a caller outside the mesh, its sidecar or
   * ztunnel for one inside), of the version its weights draw where an Envoy routes (`perRequest`). A
   * node-local service behind a waypoint or gateway (`proxied`) that balances is narrowed by that proxy's
   * node instead: per request (pickPerRequest), or per connection for TCP (openSlot).
   */
  callerEndpoints(id: number, edge: Edge, perRequest: boolean, proxied: boolean): number[] {
    const k = this.calls;
    const src = k.src[id]!;
    const key = k.key[id]!;
    const measured = k.measured[id] === 1;
    // Istio's proxies rank endpoints by locality; kube-proxy, behind a caller outside the mesh or a
    // sidecar's PassthroughCluster, by the Service's own settings only; a headless Service's caller
    // connects to a pod of its DNS answer, every ready pod (normalise/services.ts headlessConflicts).
    const kind = this.pods.kind[src]!;
    const istio = kind !== PLAIN && !(kind === SIDECAR_POD && edge.passthrough > 0) && !edge.headless;
    const near = this.locality.endpoints(edge.to, src, istio);
    const pods = this.mixes.endpoints(edge, near, perRequest, key, measured);
    if (pods.length > 0 || !proxied || !this.locality.nodeLocal(edge.to)) return pods;
    return this.mixes.endpoints(edge, this.pods.serviceEndpoints[edge.to]!, perRequest, key, false);
  }

  /**
   * The endpoints a connection of `edge` from pod `src` through waypoint `wp` and gateway `gw` may be
   * sent to where the endpoint is picked per connection (TCP): `callerPods`, unless a waypoint or a
   * gateway proxies it and the service prefers close endpoints; then that Envoy's TCP proxy picks from its
   * own locality (istio/istio 1.28.0 pilot/pkg/xds/endpoints/endpoint_builder.go ranks and, for a
   * node-local service, filters a proxy's endpoints by that proxy's locality and node). None on its node
   * (node-local): null; it has no healthy upstream and closes the connection (takeLocalReply).
   */
  connectionEndpoints(
    edge: Edge,
    src: number,
    wp: number,
    gw: number,
    callerPods: number[],
  ): number[] | null {
    if ((wp < 0 && gw < 0) || !this.locality.prefersClose(edge.to)) return callerPods;
    const lb = this.balancing.balancer(this.pods.kind[src]!, src, wp, gw);
    const lbPod = lb >= 0 ? this.w.proxyPod[lb]! : src;
    if (lbPod === src) return callerPods;
    const own = this.locality.endpoints(edge.to, lbPod, true);
    if (own.length > 0) return own;
    this.noEndpoint = true;
    return null;
  }

  /** The endpoint the caller's balancing Envoy picks for call `id` on caller connection `slot`. */
  pickPerRequest(id: number, slot: number, callerPods: number[]): number {
    let pods = callerPods;
    const k = this.calls;
    const b = this.balancing;
    const src = k.src[id]!;
    const lbProxy = b.balancer(
      this.pods.kind[src]!,
      src,
      this.conns.waypointOf(slot),
      this.conns.gatewayOf(slot),
    );
    const edge = this.w.edges[k.edge[id]!]!;
    const to = edge.to;
    const key = k.key[id]!;
    const attempt = k.attempt[id]!;
    // A PreferClose service's close endpoints are those of the balancing Envoy's zone: a waypoint's or a
    // gateway's own when it balances (istio/istio 1.28.0 pilot/pkg/xds/endpoints/endpoint_builder.go ranks
    // a proxy's endpoints by proxy.Locality), the caller's where its sidecar does.
    const lbPod = lbProxy >= 0 ? this.w.proxyPod[lbProxy]! : src;
    if (lbPod !== src && this.locality.prefersClose(to)) {
      pods = this.mixes.endpoints(
        edge,
        this.locality.endpoints(to, lbPod, true),
        true,
        key,
        k.measured[id] === 1,
      );
      // None on the balancer's node (a node-local service): the request path fails the attempt there
      // (startAttempt, which clears the flag), and the caller's list keeps this pick's state consistent.
      if (pods.length === 0) {
        this.noEndpoint = true;
        pods = callerPods;
      }
    }
    const conns = this.conns;
    if (conns.lbProxyOf(slot) !== lbProxy) {
      conns.setLb(slot, lbProxy, b.block(lbProxy, to));
    }
    // The cluster it goes to: the service's, or the subset its weighted route picks (balancing.ts).
    const block = b.subsetBlock(conns.lbBlockOf(slot), to, this.mixes.subset(edge, key));
    // Outlier detection and locality failover narrow what the balancer may pick (outliers.ts).
    const allowed = this.outliers.candidates(pods, block, lbProxy, to, this.cal.now, key, attempt);
    const dst = b.pick(allowed, block, key, attempt, k.tried[id]!, k.tried2[id]!, to, src);
    k.lb[id] = b.picked;
    // Its circuit breakers (circuit-breakers.ts): go on, wait for a connection, or a 503 of its own.
    if (!this.breakersOn) return dst;
    const admitted = this.breakers.admit(id, edge, block, dst);
    if (admitted === PENDING) this.pending = true;
    else if (admitted === REFUSED) this.refuse(id, dst, edge.id);
    return dst;
  }

  /** The balancing Envoy refuses attempt `id` (to `dst`, over edge `edge`): a 503 of its own. */
  private refuse(id: number, dst: number, edge: number): void {
    const k = this.calls;
    this.balancing.done(k.lb[id]!, dst);
    k.lb[id] = -1;
    this.overflow = true;
    if (k.measured[id] === 1) this.rec.edgeOverflows[edge]!++;
  }

  /** Whether the last pickPerRequest left its attempt pending for a connection; clears it. */
  takePending(): boolean {
    const p = this.pending;
    this.pending = false;
    return p;
  }

  /**
   * Where an attempt on route `tpl` fails, as a doomed step + 1, when the last openSlot or pickPerRequest
   * found no endpoint on its balancer's node or a circuit breaker refused it (0: neither); clears it. The
   * balancing Envoy answers 503 itself, which nobody retries (ASSUMPTION: the attempt fails when it
   * reaches its first proxy, not that Envoy, which is the same but for the links between them); a
   * waypoint's or gateway's TCP proxy closes the connection.
   */
  takeLocalReply(tpl: number): number {
    if (!this.noEndpoint && !this.overflow) return 0;
    this.noEndpoint = false;
    this.overflow = false;
    const retrier = this.retries.retrier[tpl]!;
    if (retrier >= 0) return retrier + 1;
    const steps = this.w.templates[tpl]!.steps;
    for (let s = steps.length - 1; s >= 0; s--)
      if (steps[s]!.attach === POOL || steps[s]!.attach === GATEWAY) return s + 1;
    return 1;
  }
}
