// The connections a call's segments ride on, across the parts: opening a caller connection (its endpoint
// and waypoint picked per connection, its route, the ztunnels carrying it), the upstream segment a proxy
// opens after it (one-to-one, an HBONE stream, an Envoy pool request), closing a caller connection with
// everything chained one-to-one behind it, and releasing what an ended attempt held; which endpoint an
// attempt goes to is endpoint-choice.ts's. Part of the request path (request-path.ts), shared with the
// disruption host, which closes connections too.
import type { Calendar } from '../../../sim/index.ts';
import type { TrafficPolicy } from '../../scenario/index.ts';
import type { CallTable } from '../calls.ts';
import * as world from '../world/index.ts';
import { type Edge, templateFor, type World } from '../world/index.ts';
import type { Applications } from './applications.ts';
import type { Balancing } from './balancing.ts';
import { CLOSING, type Connections } from './connections.ts';
import { EndpointChoice } from './endpoint-choice.ts';
import type { Hops } from './hops.ts';
import { mix32 } from './keyed-random.ts';
import * as kinds from './kinds.ts';
import type { Locality } from './locality.ts';
import type { Parts } from './parts.ts';
import { PerTryTimeouts } from './per-try-timeouts.ts';
import type { Pods } from './pods.ts';
import type { Proxies } from './proxies.ts';
import type { Recorder } from './recorder.ts';
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
const ZTUNNEL_CLASS = kinds.ZTUNNEL_CLASS;
const HANDSHAKE = pools.HANDSHAKE;
const NEW_CONNECTION = pools.NEW_CONNECTION;
const REPLACES = pools.REPLACES;
const MULTIPLEXED = kinds.MULTIPLEXED;
const IN_APP = kinds.IN_APP;
const PER_REQUEST = kinds.PER_REQUEST;
const LONG_LIVED = kinds.LONG_LIVED;
const ENVOY_PLAIN = world.ENVOY_PLAIN;

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
  private readonly pools: UpstreamPools;
  private readonly rec: Recorder;
  private readonly apps: Applications;
  /** The endpoint choices and circuit breakers (endpoint-choice.ts). */
  readonly choice: EndpointChoice;
  /** Attempts' per-try timers (per-try-timeouts.ts). */
  readonly perTry: PerTryTimeouts;
  /** Per edge: its callee's maxRequestsPerConnection, 0 for none (upstream-pools.ts request). */
  private readonly perConnection: Float64Array;
  /** Per edge: its callee's maxConcurrentStreams where Envoy's upstream is HTTP/2, 0 for none. */
  private readonly maxStreams: Float64Array;
  /** Per edge: its callee's idleTimeout in seconds, 0 for none (upstream-pools.ts request). */
  private readonly idleTimeout: Float64Array;
  /** Per edge: its callee's maxConnectionDuration in seconds, 0 for none. */
  private readonly maxAge: Float64Array;
  /** Some edge's Envoys send other than mTLS (world Edge.envoyTls): only then is a step's envoyTlsIn read. */
  readonly envoyTls: boolean;

  constructor(p: Parts) {
    this.apps = p.apps;
    this.choice = new EndpointChoice(p);
    this.w = p.w;
    this.cal = p.cal;
    this.calls = p.calls;
    this.pods = p.pods;
    this.proxies = p.proxies;
    this.hops = p.hops;
    this.conns = p.connections;
    this.balancing = p.balancing;
    this.locality = p.locality;
    this.pools = p.pools;
    this.rec = p.recorder;
    this.perTry = new PerTryTimeouts(p, this.choice);
    // Each edge's callee's connection settings (0: none), read per pooled hop.
    const byEdge = (pick: (policy: TrafficPolicy, e: Edge) => number | undefined) =>
      Float64Array.from(p.w.edges, (e) => {
        const policy = p.w.services[e.to]!.trafficPolicy;
        return policy ? (pick(policy, e) ?? 0) : 0;
      });
    this.perConnection = byEdge((x) => x.maxRequestsPerConnection);
    this.maxStreams = byEdge((x, e) => (e.poolProto === MULTIPLEXED ? x.maxConcurrentStreams : 0));
    this.idleTimeout = byEdge((x) => x.idleTimeout);
    this.maxAge = byEdge((x) => x.maxConnectionDuration);
    this.envoyTls = p.w.edges.some((e) => e.envoyTls !== 0);
    // The pools keep what these need only where an edge sets one.
    if (this.perConnection.some((n) => n > 0)) p.pools.limitRequests();
    if (this.idleTimeout.some((t) => t > 0)) p.pools.limitIdle();
    if (this.maxAge.some((t) => t > 0)) p.pools.limitAge();
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
    const sub = perRequest ? attempt : conns.openedOf(slot);
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
    const own = perRequestLb ? pods : this.choice.connectionEndpoints(edge, src, wp, gw, pods);
    if (own === null && !perRequest) conns.setClosing(slot);
    const dst = b.perConnection(own ?? pods, b.endpointPick.at(connKey, sub), from);
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
    conns.bindZtunnels(slot, srcZ, dstZ);
  }

  /**
   * The caller connection on `slot` for attempt `attempt` of a call over `edge` from pod `src`: opened
   * when it is closed (or per request), opened anew when past its lifetime or closed by its balancing
   * Envoy (CLOSING). Returns -1 when the open connection serves as it is, else the wait before the new
   * one is used: a client whose connection was reset reconnects only after its back-off.
   */
  connect(
    edge: Edge,
    src: number,
    slot: number,
    pods: number[],
    key: number,
    attempt: number,
    perRequestLb: boolean,
  ): number {
    const conns = this.conns;
    const now = this.cal.now;
    if (edge.connType === PER_REQUEST || !conns.openOf(slot)) {
      const wait = Math.max(0, conns.reconnectAtOf(slot) - now);
      this.openSlot(edge, src, slot, pods, key, attempt, perRequestLb);
      return wait;
    }
    if (conns.openOf(slot) === CLOSING || (edge.connType === LONG_LIVED && now >= conns.expiryOf(slot))) {
      this.closeSlot(slot, src);
      this.openSlot(edge, src, slot, pods, key, attempt, perRequestLb);
      return 0;
    }
    return -1;
  }

  /**
   * Closes a caller connection and everything tied one-to-one to it downstream (ztunnel streams, raw TCP
   * proxied by Envoy), stopping at the first proxy that pools its upstream connections per endpoint.
   */
  closeSlot(slot: number, src: number): void {
    const conns = this.conns;
    conns.closeSlot(slot);
    this.closeChain(
      conns.templateOf(slot),
      src,
      conns.dstOf(slot),
      conns.waypointOf(slot),
      conns.gatewayOf(slot),
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
    const next = s + 1 < steps.length ? steps[s + 1]! : null;
    // An Envoy told to send the callee's sidecar plain text (world Edge.envoyTls) opens plain connections.
    const tls =
      next !== null &&
      next.tlsIn &&
      !(next.envoyTlsIn && this.envoyTls && this.w.edges[k.edge[id]!]!.envoyTls === ENVOY_PLAIN);
    let segment = 0;
    let term = -1;
    if (st.upstream === ONE_TO_ONE) {
      if (freshIn) segment = tls ? NEW_CONNECTION | HANDSHAKE : NEW_CONNECTION;
    } else {
      const src = k.src[id]!;
      const dst = k.dst[id]!;
      const wp = k.waypoint[id]!;
      term = this.hops.terminator(tpl, s + 1, src, dst, wp, k.gateway[id]!);
      const peer = next !== null && next.attach === POOL ? wp : dst;
      const pair = this.pools.pair(p, term, st.proxyClass === ZTUNNEL_CLASS ? src : -1, peer);
      if (st.upstream === STREAM_OVER_POOL) {
        segment = this.pools.stream(pair, freshIn, st.streamsPerConnection, tls);
      } else {
        if (k.pool[id]! < 0) k.pool[id] = pair;
        else k.pool2[id] = pair;
        const e = k.edge[id]!;
        const idle = this.idleTimeout[e]!;
        segment = this.pools.request(
          pair,
          st.multiplexed,
          tls,
          this.perConnection[e]!,
          this.maxStreams[e]!,
          idle,
          this.cal.now,
          this.maxAge[e]!,
        );
        // Its pool's connections had idled out: closed at both ends.
        if (idle > 0 && this.pools.closedIdle > 0) {
          this.proxies.changeOpen(p, -this.pools.closedIdle, this.cal.now);
          if (term < this.w.nProxies) this.proxies.changeOpen(term, -this.pools.closedIdle, this.cal.now);
        }
      }
    }
    // A replacement takes a closed connection's place: open counts stay as they are.
    if ((segment & (NEW_CONNECTION | REPLACES)) === NEW_CONNECTION) {
      const now = this.cal.now;
      this.proxies.changeOpen(p, 1, now);
      if (term < 0)
        term = this.hops.terminator(tpl, s + 1, k.src[id]!, k.dst[id]!, k.waypoint[id]!, k.gateway[id]!);
      if (term < this.w.nProxies) this.proxies.changeOpen(term, 1, now);
    }
    return segment;
  }

  /**
   * Call `id`'s new caller connection on `slot` (route `tpl`) is counted open at the proxy it reaches; a
   * client's TLS connection to the ingress gateway (Edge.clientTls) costs its handshake there (hop-work.ts
   * take, travel).
   */
  firstOpened(id: number, tpl: number, src: number, dst: number, slot: number): void {
    if (this.w.edges[this.calls.edge[id]!]!.clientTls) this.calls.handshake[id] = 1;
    const c = this.conns;
    const term = this.hops.terminator(tpl, 0, src, dst, c.waypointOf(slot), c.gatewayOf(slot));
    if (term < this.w.nProxies) this.proxies.changeOpen(term, 1, this.cal.now);
  }

  /** An attempt whose caller gave up before it went on (circuit-breakers.ts): it ends, its call too. */
  endAbandoned(id: number): void {
    this.endAttempt(id);
    this.calls.release(id);
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
    this.conns.addBusy(k.slot[id]!, -1);
    // Pooled requests were counted when the call passed that proxy (the pair was remembered then).
    this.pools.requestDone(k.pool[id]!, this.cal.now);
    this.pools.requestDone(k.pool2[id]!, this.cal.now);
    if (this.choice.holdsLimits) this.choice.release(id);
    if (this.perTry.any) this.perTry.cancel(id);
    if (this.w.edges[k.edge[id]!]!.connType === PER_REQUEST && k.fresh[id]! & 1) {
      this.conns.count--;
      this.closeChain(k.template[id]!, k.src[id]!, dst, k.waypoint[id]!, k.gateway[id]!);
    }
    k.dst[id] = -1;
  }
}
