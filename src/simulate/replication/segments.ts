// The connections a call's segments ride on, across the parts: opening a caller connection (its endpoint
// and waypoint picked per connection, its route, the ztunnels carrying it), the upstream segment a proxy
// opens after it (one-to-one, an HBONE stream, an Envoy pool request), the per-request endpoint pick on
// the caller's connection, closing a caller connection with everything chained one-to-one behind it, and
// releasing what an ended attempt held. Part of the request path (request-path.ts), shared with the
// disruption host, which closes connections too.
import type { Calendar } from '../../../sim/index.ts';
import type { CallTable } from '../calls.ts';
import { type Edge, templateFor, type World } from '../world/index.ts';
import type { Applications } from './applications.ts';
import type { Balancing } from './balancing.ts';
import { CircuitBreakers, PENDING, REFUSED } from './circuit-breakers.ts';
import type { Connections } from './connections.ts';
import type { Hops } from './hops.ts';
import { mix32 } from './keyed-random.ts';
import * as kinds from './kinds.ts';
import type { Locality } from './locality.ts';
import type { Mixes } from './mixes.ts';
import type { Outliers } from './outliers.ts';
import type { Parts } from './parts.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import type { Recorder } from './recorder.ts';
import type { Retries } from './retries.ts';
import type { UpstreamPools } from './upstream-pools.ts';
import * as pools from './upstream-pools.ts';

// Copied into module constants: an imported binding is re-read (with a hole check) on every access and
// cannot be folded into the hot lines below, a module constant can.
const DELIVER = kinds.DELIVER;
const DST_NODE = kinds.DST_NODE;
const ONE_TO_ONE = kinds.ONE_TO_ONE;
const PER_ENDPOINT_POOL = kinds.PER_ENDPOINT_POOL;
const SRC_NODE = kinds.SRC_NODE;
const STREAM_OVER_POOL = kinds.STREAM_OVER_POOL;
const POOL = kinds.POOL;
const GATEWAY = kinds.GATEWAY;
const ZTUNNEL_CLASS = kinds.ZTUNNEL_CLASS;
const HANDSHAKE = pools.HANDSHAKE;
const NEW_CONNECTION = pools.NEW_CONNECTION;
const IN_APP = kinds.IN_APP;
const PER_REQUEST = kinds.PER_REQUEST;
const PLAIN = kinds.PLAIN_POD;
/** Connections.open of a connection its balancing Envoy closes at once (see there). */
export const CLOSING = 2;

export class Segments {
  private readonly w: World;
  private readonly cal: Calendar;
  private readonly calls: CallTable;
  private readonly pods: Pods;
  private readonly proxies: Proxies;
  private readonly hops: Hops;
  private readonly conns: Connections;
  private readonly balancing: Balancing;
  private readonly locality: Locality;
  private readonly mixes: Mixes;
  private readonly outliers: Outliers;
  private readonly pools: UpstreamPools;
  private readonly rec: Recorder;
  private readonly apps: Applications;
  private readonly retries: Retries;
  /** Set by openSlot and pickPerRequest: the balancing Envoy has no endpoint of a node-local service on
   * its node. */
  private noEndpoint = false;
  /** Set by pickPerRequest: the balancing Envoy's circuit breakers refused the attempt. */
  private overflow = false;
  /** Set by pickPerRequest: the attempt waits for a connection (circuit-breakers.ts). */
  private pending = false;
  readonly breakers: CircuitBreakers;
  /** breakers.any, in this object's own fields (read on every request). */
  private readonly breakersOn: boolean;

  constructor(p: Parts) {
    this.apps = p.apps;
    this.retries = p.retries;
    this.breakers = new CircuitBreakers(p);
    this.breakersOn = this.breakers.any;
    this.w = p.w;
    this.cal = p.cal;
    this.calls = p.calls;
    this.pods = p.pods;
    this.proxies = p.proxies;
    this.hops = p.hops;
    this.conns = p.connections;
    this.balancing = p.balancing;
    this.locality = p.locality;
    this.mixes = p.mixes;
    this.outliers = p.outliers;
    this.pools = p.pools;
    this.rec = p.recorder;
  }

  /**
   * Opens a caller connection for attempt `attempt` of the call with key `key`: its endpoint and waypoint
   * (picked per connection), route and ztunnels. The picks are keyed by the connection (common random
   * numbers, keyed-random.ts): the n-th connection of a pooled slot, or a per-request connection's call,
   * picks the same endpoint and waypoint under every architecture.
   */
  openSlot(
    edge: Edge,
    src: number,
    slot: number,
    pods: number[],
    key: number,
    attempt: number,
    perRequestLb: boolean,
  ): void {
    const conns = this.conns;
    const pod = this.pods;
    conns.openSlot(edge, slot, this.cal.now);
    const perRequest = edge.connType === PER_REQUEST;
    const connKey = perRequest ? key : mix32(slot + 0x51ed270b);
    const sub = perRequest ? attempt : conns.opened[slot]!;
    const b = this.balancing;
    const from = pod.node[src]!;
    const wps = pod.waypointEndpoints[edge.id] ?? null;
    const wp =
      wps && wps.length > 0
        ? b.perConnection(this.locality.waypoints(edge.id, wps, src), b.waypointPick.at(connKey, sub), from)
        : -1;
    // The external load balancer in front of the ingress gateway picks a replica per connection.
    const gws = pod.gatewayEndpoints[edge.id] ?? null;
    const gw = gws && gws.length > 0 ? b.perConnection(gws, b.gatewayPick.at(connKey, sub), from) : -1;
    // The endpoint is picked once per connection: by kube-proxy, ztunnel or the caller's sidecar from the
    // caller's close endpoints, by a waypoint's or gateway's TCP proxy from its own (each draw has its own
    // keyed substream, so their order does not matter).
    const lb = perRequestLb ? pods : this.connectionEndpoints(edge, src, wp, gw, pods);
    if (!perRequestLb && this.noEndpoint && !perRequest) conns.open[slot] = CLOSING;
    const dst = b.perConnection(lb, b.endpointPick.at(connKey, sub), from);
    const tpl = templateFor(edge, pod.kind[src]!, pod.kind[dst]!);
    conns.bind(slot, dst, pod.routedGen(dst, this.cal.now), wp, wp >= 0 ? pod.gen[wp]! : -1, tpl);
    conns.bindGateway(slot, gw, gw >= 0 ? pod.gen[gw]! : -1);
    // Which ztunnel generations carry it: an upgraded ztunnel only takes new connections.
    let srcZ = -1;
    let dstZ = -1;
    const zGen = this.proxies.ztunnelGen;
    for (const st of this.w.templates[tpl]!.steps) {
      if (st.attach === SRC_NODE) srcZ = zGen[pod.node[src]!]!;
      else if (st.attach === DST_NODE) dstZ = zGen[pod.node[dst]!]!;
    }
    conns.srcZtunnelGen[slot] = srcZ;
    conns.dstZtunnelGen[slot] = dstZ;
  }

  /**
   * Closes a caller connection and everything tied one-to-one to it downstream (ztunnel streams, raw TCP
   * proxied by Envoy), stopping at the first proxy that pools its upstream connections per endpoint.
   */
  closeSlot(slot: number, src: number): void {
    const conns = this.conns;
    conns.closeSlot(slot);
    this.closeChain(
      conns.template[slot]!,
      src,
      conns.dst[slot]!,
      conns.waypoint[slot]!,
      conns.gateway[slot]!,
    );
  }

  /** Closes what a connection of route `tpl` holds on its proxies (see closeSlot). */
  closeChain(tpl: number, src: number, dst: number, wp: number, gw: number): void {
    const now = this.cal.now;
    const steps = this.w.templates[tpl]!.steps;
    for (let s = 0; s < steps.length; s++) {
      const p = this.hops.resolve(steps[s]!, src, dst, wp, gw);
      this.proxies.changeOpen(p, -1, now);
      const up = steps[s]!.upstream;
      if (up === PER_ENDPOINT_POOL || up === DELIVER) return;
      this.proxies.changeOpen(p, -1, now);
      if (up === STREAM_OVER_POOL) {
        // The same pool the stream was opened on (openUpstream).
        const next = s + 1 < steps.length ? steps[s + 1]! : null;
        const peer = next !== null && next.attach === POOL ? wp : dst;
        const from = steps[s]!.proxyClass === ZTUNNEL_CLASS ? src : -1;
        this.pools.streamClosed(p, this.hops.terminator(tpl, s + 1, src, dst, wp, gw), from, peer);
      }
    }
  }

  /**
   * When call `id`, `after` seconds from now, reaches its next position (the proxy of its current step, or
   * the application past the last): the link's one-way delay, a TCP round trip more for a new connection
   * and one more plus its crypto for an mTLS handshake. The link's delay is remembered for the response,
   * and a measured call's bytes are counted on it.
   */
  travel(id: number, after: number): number {
    const w = this.w;
    const k = this.calls;
    const hops = this.hops;
    const podNode = this.pods.node;
    const s = k.step[id]!;
    const tpl = w.templates[k.template[id]!]!;
    const src = k.src[id]!;
    const dst = k.dst[id]!;
    const wp = k.waypoint[id]!;
    const gw = k.gateway[id]!;
    const st = s >= tpl.steps.length ? null : tpl.steps[s]!;
    let t = after;
    if (!(st ? st.linkBefore : tpl.linkToDst)) return t;
    const from = s === 0 ? podNode[src]! : hops.stepNode(tpl.steps[s - 1]!, src, dst, wp, gw);
    const to = st ? hops.stepNode(st, src, dst, wp, gw) : podNode[dst]!;
    const d = hops.delay(from, to);
    k.net[id]! += d;
    t += d;
    if (k.fresh[id]! & (1 << s)) t += 2 * d;
    if (k.handshake[id]! & (1 << s)) t += 2 * d + (st ? w.classes[st.proxyClass]!.cost.handshakeLatency : 0);
    if (k.measured[id]) {
      const e = w.edges[k.edge[id]!]!;
      this.rec.bytes(e.requestBytes + e.responseBytes, hops.crossesZones(from, to));
    }
    return t;
  }

  /**
   * Proxy `p`, at step `s` of call `id`, opens the segment after it: returns NEW_CONNECTION | HANDSHAKE
   * flags for that segment, with its connections counted open on both ends.
   */
  openUpstream(id: number, p: number, s: number, freshIn: boolean): number {
    const k = this.calls;
    const tpl = k.template[id]!;
    const steps = this.w.templates[tpl]!.steps;
    const st = steps[s]!;
    const tls = s + 1 < steps.length && steps[s + 1]!.tlsIn;
    let segment = 0;
    let term = -1;
    if (st.upstream === ONE_TO_ONE) {
      if (freshIn) segment = tls ? NEW_CONNECTION | HANDSHAKE : NEW_CONNECTION;
    } else {
      const src = k.src[id]!;
      const dst = k.dst[id]!;
      const wp = k.waypoint[id]!;
      term = this.hops.terminator(tpl, s + 1, src, dst, wp, k.gateway[id]!);
      const next = s + 1 < steps.length ? steps[s + 1]! : null;
      const peer = next !== null && next.attach === POOL ? wp : dst;
      const pair = this.pools.pair(p, term, st.proxyClass === ZTUNNEL_CLASS ? src : -1, peer);
      if (st.upstream === STREAM_OVER_POOL) {
        segment = this.pools.stream(pair, freshIn, st.streamsPerConnection, tls);
      } else {
        if (k.pool[id]! < 0) k.pool[id] = pair;
        else k.pool2[id] = pair;
        segment = this.pools.request(pair, st.multiplexed, tls);
      }
    }
    if (segment & NEW_CONNECTION) {
      const now = this.cal.now;
      this.proxies.changeOpen(p, 1, now);
      if (term < 0)
        term = this.hops.terminator(tpl, s + 1, k.src[id]!, k.dst[id]!, k.waypoint[id]!, k.gateway[id]!);
      if (term < this.w.nProxies) this.proxies.changeOpen(term, 1, now);
    }
    return segment;
  }

  /**
   * The endpoints an attempt of a call over `edge` from pod `src` may go to (empty: none ready): the
   * close ones of its chooser (locality.ts; kube-proxy for a caller outside the mesh, its sidecar or
   * ztunnel for one inside), of the version its weights draw where an Envoy routes (`perRequest`). A
   * node-local service behind a waypoint or gateway (`proxied`) that balances is narrowed by that proxy's
   * node instead: per request (pickPerRequest), or per connection for TCP (openSlot).
   */
  callerEndpoints(
    edge: Edge,
    src: number,
    perRequest: boolean,
    key: number,
    measured: boolean,
    proxied: boolean,
  ): number[] {
    const near = this.locality.endpoints(edge.to, src, this.pods.kind[src] !== PLAIN);
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
   * (node-local): it has no healthy upstream and closes the connection (takeLocalReply).
   */
  private connectionEndpoints(
    edge: Edge,
    src: number,
    wp: number,
    gw: number,
    callerPods: number[],
  ): number[] {
    if ((wp < 0 && gw < 0) || !this.locality.prefersClose(edge.to)) return callerPods;
    const lb = this.balancing.balancer(this.pods.kind[src]!, src, wp, gw);
    const lbPod = lb >= 0 ? this.w.proxyPod[lb]! : src;
    if (lbPod === src) return callerPods;
    const own = this.locality.endpoints(edge.to, lbPod, true);
    if (own.length > 0) return own;
    this.noEndpoint = true;
    return callerPods;
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
      this.conns.waypoint[slot]!,
      this.conns.gateway[slot]!,
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
    // Outlier detection and locality failover narrow what the balancer may pick (outliers.ts).
    const allowed = this.outliers.candidates(pods, lbProxy, to, this.cal.now, key, attempt);
    const conns = this.conns;
    let block = conns.lbBlock[slot]!;
    if (conns.lbProxy[slot] !== lbProxy) {
      conns.lbProxy[slot] = lbProxy;
      conns.lbBlock[slot] = block = b.block(lbProxy, to);
    }
    const dst = b.pick(allowed, block, key, attempt, k.tried[id]!, k.tried2[id]!);
    k.lb[id] = b.picked;
    // Its circuit breakers (circuit-breakers.ts): go on, wait for a connection, or a 503 of its own.
    if (!this.breakersOn) return dst;
    const admitted = this.breakers.admit(id, edge, block);
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

  /** Undoes what an attempt holds: its endpoint's in-flight count, pooled requests, its own connection. */
  endAttempt(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    if (dst < 0) return;
    if (k.phase[id] === IN_APP) this.apps.queues.release(dst);
    k.tried2[id] = k.tried[id]!;
    k.tried[id] = dst;
    this.balancing.done(k.lb[id]!, dst);
    k.lb[id] = -1;
    this.conns.busy[k.slot[id]!]!--;
    // Pooled requests were counted when the call passed that proxy (the pair was remembered then).
    this.pools.requestDone(k.pool[id]!);
    this.pools.requestDone(k.pool2[id]!);
    if (this.breakersOn) this.breakers.release(id);
    if (this.w.edges[k.edge[id]!]!.connType === PER_REQUEST && k.fresh[id]! & 1) {
      this.conns.count--;
      this.closeChain(k.template[id]!, k.src[id]!, dst, k.waypoint[id]!, k.gateway[id]!);
    }
    k.dst[id] = -1;
  }
}
