// The request path: drives every request of a run through its hops on the sim/ kernel. Each proxy is a
// multi-server queue (its workers); a request holds a worker for its CPU time and moves on after its
// critical-path time. Calls live in a CallTable and events carry call ids, so nothing is allocated per
// event. The Engine (engine.ts) adds running a replication and the disruption primitives.
import {
  Calendar,
  type Distribution,
  GRANTED,
  Histogram,
  RandomStreams,
  type Rng,
  ServerQueue,
} from '../../sim/index.ts';
import { Attach, type HopStep, ProtocolClass, Upstream } from '../mesh/index.ts';
import { interarrival, makeDistribution } from '../traffic/index.ts';
import { CallTable } from './calls.ts';
import { PairPools } from './pools.ts';
import { ConnType, type Edge, lbPerRequest, templateFor, type World } from './world.ts';

// Enum members copied into module constants: reading them through the import binding costs a getter
// call per access under tsx's transform, on the hottest lines of the simulator.
const SRC_POD = Attach.SrcPod;
const SRC_NODE = Attach.SrcNode;
const POOL = Attach.Pool;
const DST_POD = Attach.DstPod;
const DST_NODE = Attach.DstNode;
const ONE_TO_ONE = Upstream.OneToOne;
const STREAM_OVER_POOL = Upstream.StreamOverPool;
const PER_ENDPOINT_POOL = Upstream.PerEndpointPool;
const DELIVER = Upstream.Deliver;
const PER_REQUEST = ConnType.PerRequest;
const LONG_LIVED = ConnType.LongLived;
const HTTP1 = ProtocolClass.Http1;
export const TCP = ProtocolClass.Tcp;

/** Component slots of the CPU time series. */
export const CPU_APP = 0;
/** Latency histograms cover 1 us to 1000 s: below any network hop, above any timeout worth simulating. */
export const HIST = { lowest: 1e-6, highest: 1e3 };
/**
 * Envoy's retry back-off (config.route.v3.RetryPolicy, D): base interval 25 ms, max interval 10x base;
 * retry N waits a uniform random time in [0, (2^N - 1) x base], capped at the max interval.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
const RETRY_BASE = 0.025;
const RETRY_MAX = 10 * RETRY_BASE;

export class RequestPath {
  readonly w: World;
  readonly cal = new Calendar(4096);
  readonly calls = new CallTable(4096);
  readonly duration: number;
  readonly warmup: number;
  readonly step: number;
  readonly bins: number;

  // Proxies.
  /**
   * When each worker of each proxy is next free (proxy p's workers at p x maxWorkers ...). A proxy's
   * CPU time per request is known when the request starts, so its FIFO multi-server queue follows the
   * workload-vector recursion (Kiefer-Wolfowitz): a request arriving at t starts at max(t, earliest free
   * worker) on that worker. No departure events are needed, which halves the events per proxy hop.
   */
  readonly workerFree: Float64Array;
  readonly workers: Int32Array;
  protected readonly maxWorkers: number;
  /** Waiting time statistics per proxy (requests started after the warm-up). */
  readonly proxyWaitSum: Float64Array;
  readonly proxyWaitMax: Float64Array;
  readonly proxyCpu: Float64Array;
  readonly proxyRequests: Float64Array;
  readonly proxyHandshakes: Float64Array;
  readonly proxyNewConnections: Float64Array;
  readonly proxyOpen: Int32Array;
  readonly proxyOpenArea: Float64Array;
  readonly proxyOpenSince: Float64Array;
  // Application pods.
  readonly appQueues: (ServerQueue | null)[] = [];
  readonly appCpu: Float64Array;
  readonly appInflight: Int32Array;
  // Connection slots of callers.
  readonly slotOpen: Uint8Array;
  readonly slotDst: Int32Array;
  readonly slotWaypoint: Int32Array;
  readonly slotTemplate: Int32Array;
  readonly slotExpiry: Float64Array;
  readonly slotNext: Int32Array;
  /** Requests in flight on each caller connection. */
  readonly slotBusy: Int32Array;
  /** Generation of the destination pod, and of the two ztunnels (-1: none), when the slot was opened. */
  readonly slotGen: Int32Array;
  readonly slotSrcZ: Int32Array;
  readonly slotDstZ: Int32Array;
  readonly slotWpGen: Int32Array;
  /** After a reset, the client reconnects no earlier than this (its back-off). */
  readonly slotReconnect: Float64Array;
  readonly pools: PairPools;
  // Disruption state: where pods run, which generation serves, who is in load balancing.
  readonly podNode: Int32Array;
  readonly podKind: Uint8Array;
  readonly podGen: Int32Array;
  /** In load balancing (ready and not terminating). */
  readonly podReady: Uint8Array;
  /** Its process runs and accepts connections. */
  readonly podUp: Uint8Array;
  /** Ready endpoints of every service and waypoint, by owner key (mutated in place, read by the balancers). */
  readonly ready = new Map<string, number[]>();
  protected readonly serviceReady: number[][];
  protected readonly edgeWaypointReady: (number[] | null)[];
  /** Generations below this are dead (killed); older live ones are draining. */
  readonly podAliveFrom: Int32Array;
  /**
   * Until `podRouteUntil`, callers' data planes have not yet seen the pod's endpoint change and still send
   * new requests to generation `podRouteGen` (the terminating one).
   */
  readonly podRouteGen: Int32Array;
  readonly podRouteUntil: Float64Array;
  /** Nodes that died without telling anyone: what is sent to them is never answered (black-holed). */
  readonly nodeDark: Uint8Array;
  /** Attempts stuck on a dark node, and the node, until it comes back or their timeout abandons them. */
  readonly hungCalls: number[] = [];
  readonly hungNodes: number[] = [];
  readonly proxyUp: Uint8Array;
  /** Caller connections open now. */
  openConnections = 0;
  /** Generation of each node's ztunnel: an upgrade starts a new one next to the draining old one. */
  readonly ztGen: Int32Array;
  // Disruption counters (whole run; events attribute them by time window).
  connectionsReset = 0;
  connectionsDrained = 0;
  pooledConnectionsReset = 0;
  readonly resetsByService: Float64Array;
  requestsFailed = 0;
  requestsRetried = 0;
  podsRestarted = 0;
  readonly resetBins: Float64Array;
  readonly retryBins: Float64Array;
  readonly readyBins: Float64Array;
  readonly openBins: Float64Array;
  // Measurements.
  readonly entryOffered: Float64Array;
  readonly entryCompleted: Float64Array;
  readonly entryFailed: Float64Array;
  readonly entryTimedOut: Float64Array;
  readonly entryHist: Histogram[];
  readonly edgeHist: Histogram[];
  readonly edgeCalls: Float64Array;
  readonly edgeFailed: Float64Array;
  readonly edgeRetries: Float64Array;
  readonly edgeL7Unhonoured: Float64Array;
  /** CPU seconds per time bin: [component slot][bin]; slot 0 = application, 1 + proxy class. */
  readonly cpuBins: Float64Array[];
  readonly arrivalBins: Float64Array;
  readonly errorBins: Float64Array;
  readonly latencyBins: Histogram[];
  crossZoneBytes = 0;
  totalBytes = 0;

  protected readonly nodeZone: Int32Array;
  protected readonly hopTime: Distribution[];
  /** Worker speed per proxy class (CFS throttling when the CPU limit is below the workers). */
  readonly speed: Float64Array;
  protected readonly hopRng: Rng[];
  protected readonly serviceRng: Rng[];
  protected readonly countRng: Rng[];
  protected readonly lbRng: Rng;
  protected readonly lifetimeRng: Rng;
  protected readonly retryRng: Rng;
  readonly reconnectBackoff: Distribution;
  readonly reconnectRng: Rng;
  protected readonly arrivalRng: Rng[];
  protected readonly gap: ((t: number, rng: Rng) => number)[];
  protected readonly entryNext: Int32Array;
  /** Scratch: call counts drawn for one parallel group (issuing never re-enters nextBatch). */
  protected readonly lastCounts: Int32Array;
  protected readonly hEntry: number;
  protected readonly hStep: number;
  protected readonly hApp: number;
  protected readonly hAppDone: number;
  protected readonly hComplete: number;
  protected readonly hTimeout: number;
  protected readonly hRetry: number;
  protected readonly hFail: number;

  constructor(w: World, seed: string) {
    this.w = w;
    const sim = w.scenario.simulation;
    this.duration = sim.duration;
    this.warmup = sim.warmup;
    this.step = sim.timeStep;
    this.bins = Math.ceil(sim.duration / sim.timeStep);
    const streams = new RandomStreams(seed);
    const P = w.nProxies;
    this.proxyCpu = new Float64Array(P);
    this.proxyRequests = new Float64Array(P);
    this.proxyHandshakes = new Float64Array(P);
    this.proxyNewConnections = new Float64Array(P);
    this.proxyOpen = new Int32Array(P);
    this.proxyOpenArea = new Float64Array(P);
    this.proxyOpenSince = new Float64Array(P);
    this.maxWorkers = Math.max(1, ...w.classes.map((c) => c.workers));
    this.workerFree = new Float64Array(P * this.maxWorkers);
    this.workers = Int32Array.from(w.proxyClass, (c) => w.classes[c]!.workers);
    this.proxyWaitSum = new Float64Array(P);
    this.proxyWaitMax = new Float64Array(P);
    this.appCpu = new Float64Array(w.nPods);
    this.appInflight = new Int32Array(w.nPods);
    for (let pod = 0; pod < w.nPods; pod++) {
      const svc = w.podService[pod]!;
      this.appQueues.push(
        svc >= 0 && w.podNode[pod]! >= 0
          ? new ServerQueue(this.cal, w.services[svc]!.concurrency, (call) => this.appStart(call))
          : null,
      );
    }
    this.slotOpen = new Uint8Array(w.nSlots);
    this.slotDst = new Int32Array(w.nSlots);
    this.slotWaypoint = new Int32Array(w.nSlots);
    this.slotTemplate = new Int32Array(w.nSlots);
    this.slotExpiry = new Float64Array(w.nSlots);
    this.slotNext = new Int32Array(w.nSlots);
    this.slotBusy = new Int32Array(w.nSlots);
    this.slotGen = new Int32Array(w.nSlots);
    this.slotSrcZ = new Int32Array(w.nSlots);
    this.slotDstZ = new Int32Array(w.nSlots);
    this.slotWpGen = new Int32Array(w.nSlots);
    this.slotReconnect = new Float64Array(w.nSlots);
    this.pools = new PairPools(P + w.nPods);
    this.podNode = Int32Array.from(w.podNode);
    this.podKind = Uint8Array.from(w.podKind);
    this.podGen = new Int32Array(w.nPods);
    this.podUp = Uint8Array.from(w.podNode, (n) => (n >= 0 ? 1 : 0));
    this.podReady = Uint8Array.from(this.podUp);
    for (const [owner, pods] of w.placement.byOwner) {
      this.ready.set(
        owner,
        pods.filter((x) => this.podUp[x] === 1),
      );
    }
    this.serviceReady = w.services.map((x) => this.ready.get(x.key) ?? []);
    this.edgeWaypointReady = w.edges.map((e) =>
      e.waypointOwner ? (this.ready.get(e.waypointOwner) ?? []) : null,
    );
    this.podAliveFrom = new Int32Array(w.nPods);
    this.podRouteGen = new Int32Array(w.nPods);
    this.podRouteUntil = new Float64Array(w.nPods);
    this.nodeDark = new Uint8Array(w.placement.nodes.length);
    this.proxyUp = new Uint8Array(P).fill(1);
    this.ztGen = new Int32Array(w.placement.nodes.length);
    this.resetsByService = new Float64Array(w.services.length);

    const E = w.edges.length;
    const N = w.scenario.traffic.length;
    this.entryOffered = new Float64Array(N);
    this.entryCompleted = new Float64Array(N);
    this.entryFailed = new Float64Array(N);
    this.entryTimedOut = new Float64Array(N);
    this.entryHist = Array.from({ length: N }, () => new Histogram(HIST));
    this.edgeHist = Array.from({ length: E }, () => new Histogram(HIST));
    this.edgeCalls = new Float64Array(E);
    this.edgeFailed = new Float64Array(E);
    this.edgeRetries = new Float64Array(E);
    this.edgeL7Unhonoured = new Float64Array(E);
    this.cpuBins = Array.from({ length: 1 + w.classes.length }, () => new Float64Array(this.bins));
    this.arrivalBins = new Float64Array(this.bins);
    this.errorBins = new Float64Array(this.bins);
    this.latencyBins = Array.from({ length: this.bins }, () => new Histogram(HIST));
    this.resetBins = new Float64Array(this.bins);
    this.retryBins = new Float64Array(this.bins);
    this.readyBins = new Float64Array(this.bins);
    this.openBins = new Float64Array(this.bins);

    this.nodeZone = w.nodeZone;
    this.hopTime = w.classes.map((c) => makeDistribution(c.cost.criticalPath));
    this.speed = Float64Array.from(w.classes, (c) => c.speed);
    this.hopRng = w.classes.map((c) => streams.stream(`hop:${c.name}`));
    this.serviceRng = w.services.map((s) => streams.stream(`service:${s.key}`));
    this.countRng = w.edges.map((e) => streams.stream(`calls:${e.name}`));
    this.lbRng = streams.stream('load-balancing');
    this.lifetimeRng = streams.stream('connection-lifetime');
    this.retryRng = streams.stream('retry-backoff');
    this.reconnectBackoff = makeDistribution(w.scenario.lifecycle.reconnectBackoff);
    this.reconnectRng = streams.stream('reconnect-backoff');
    this.arrivalRng = w.scenario.traffic.map((e) => streams.stream(`arrivals:${e.name}`));
    this.gap = w.scenario.traffic.map((e) => interarrival(e, sim.duration));
    this.entryNext = new Int32Array(N);
    this.lastCounts = new Int32Array(Math.max(1, ...w.services.map((x) => x.edgeList.length)));

    const c = this.cal;
    this.hEntry = c.on((i) => this.onEntry(i));
    this.hStep = c.on((id) => this.onStep(id));
    this.hApp = c.on((id) => this.onApp(id));
    this.hAppDone = c.on((id) => this.nextBatch(id));
    this.hComplete = c.on((id) => this.onComplete(id));
    this.hTimeout = c.on((id) => this.onTimeout(id));
    this.hRetry = c.on((id) => this.startAttempt(id));
    this.hFail = c.on((id) => this.retryOrFail(id));
  }

  /** Measured requests of entry point `i` still in flight (neither answered, failed nor timed out). */
  entryInFlight(i: number): number {
    const k = this.calls;
    let n = 0;
    for (let id = 0; id < k.capacity; id++) {
      if (
        k.inUse[id] &&
        k.parent[id] === -1 &&
        k.measured[id] &&
        !k.abandoned[id] &&
        this.w.edges[k.edge[id]!]!.entry === i
      )
        n++;
    }
    return n;
  }

  // ---- entry points ------------------------------------------------------------------------------------

  protected onEntry(i: number): void {
    const now = this.cal.now;
    const clients = this.w.entryClients[i]!;
    const measured = now >= this.warmup;
    const bin = this.bin(now);
    this.arrivalBins[bin]!++;
    if (measured) this.entryOffered[i]!++;
    if (clients.length === 0) {
      // No load generator could be scheduled: the request is offered and fails at once.
      if (measured) this.entryFailed[i]!++;
      this.errorBins[bin]!++;
    } else {
      const src = clients[this.entryNext[i]!++ % clients.length]!;
      this.issue(this.w.entryEdges[i]!, src, -1, measured);
    }
    const next = now + this.gap[i]!(now, this.arrivalRng[i]!);
    if (next < this.duration) this.cal.scheduleAt(next, this.hEntry, i);
  }

  // ---- calls ---------------------------------------------------------------------------------------------

  protected issue(edgeId: number, src: number, parent: number, measured: boolean): void {
    const k = this.calls;
    const id = k.alloc();
    const edge = this.w.edges[edgeId]!;
    k.edge[id] = edgeId;
    k.parent[id] = parent;
    k.src[id] = src;
    k.start[id] = this.cal.now;
    k.attempt[id] = 0;
    k.failed[id] = 0;
    k.abandoned[id] = 0;
    k.measured[id] = measured ? 1 : 0;
    k.timer[id] = -1;
    if (measured) this.edgeCalls[edgeId]!++;
    if (edge.timeout < Number.POSITIVE_INFINITY)
      k.timer[id] = this.cal.schedule(edge.timeout, this.hTimeout, id);
    this.startAttempt(id);
  }

  protected startAttempt(id: number): void {
    const w = this.w;
    const k = this.calls;
    if (k.abandoned[id]) {
      this.releaseCall(id);
      return;
    }
    const edge = w.edges[k.edge[id]!]!;
    const src = k.src[id]!;
    const now = this.cal.now;
    k.phase[id] = 0;
    k.doomed[id] = 0;
    k.step[id] = 0;
    k.fresh[id] = 0;
    k.handshake[id] = 0;
    k.pool[id] = -1;
    k.pool2[id] = -1;
    k.net[id] = 0;
    k.dst[id] = -1;
    const pods = this.serviceReady[edge.to]!;
    const wps = this.edgeWaypointReady[edge.id] ?? null;
    if (pods.length === 0 || (wps !== null && wps.length === 0)) {
      // No ready endpoint: the caller's proxy answers 503 (no healthy upstream), retried like one.
      this.cal.schedule(0, this.hFail, id);
      return;
    }
    const slot = this.pickSlot(edge, src);
    let fresh = 0;
    let wait = 0;
    if (edge.connType === PER_REQUEST || !this.slotOpen[slot]) {
      // A client whose connection was reset reconnects only after its back-off.
      if (this.slotReconnect[slot]! > now) wait = this.slotReconnect[slot]! - now;
      this.openSlot(edge, src, slot, pods);
      fresh = 1;
    } else if (edge.connType === LONG_LIVED && now >= this.slotExpiry[slot]!) {
      this.closeSlot(slot, src);
      this.openSlot(edge, src, slot, pods);
      fresh = 1;
    }
    const perRequest = lbPerRequest(w, edge, this.podKind[src]!);
    const dst = perRequest ? this.leastRequest(pods) : this.slotDst[slot]!;
    const tpl = templateFor(edge, this.podKind[src]!, this.podKind[dst]!);
    k.slot[id] = slot;
    this.slotBusy[slot]!++;
    k.dst[id] = dst;
    // A connection-bound request goes to the process its connection reached, even once that is replaced.
    k.dstGen[id] = perRequest ? this.routedGen(dst) : this.slotGen[slot]!;
    k.waypoint[id] = this.slotWaypoint[slot]!;
    k.template[id] = tpl;
    k.fresh[id] = fresh;
    this.appInflight[dst]!++;
    if (k.measured[id] && edge.l7 && !w.templates[tpl]!.l7Capable) this.edgeL7Unhonoured[edge.id]!++;
    if (fresh) {
      const term = this.terminator(id, 0);
      if (term < w.nProxies) this.changeOpen(term, 1);
    }
    this.proceed(id, wait);
  }

  /** Round robin over the caller pod's connection slots for this edge. */
  /**
   * The caller pod's connection for this request. Long-lived streams are all kept open and used in turn
   * (a database or gRPC channel pool). A keep-alive pool opens connections on demand: an idle open one
   * first, else a new one while the pool has room, else the least busy (HTTP/1.1 clients wait for a free
   * connection; HTTP/2 and gRPC multiplex everything over one).
   */
  protected pickSlot(edge: Edge, src: number): number {
    const base = edge.slotBase + this.w.podOrdinal[src]! * edge.poolSize;
    if (edge.poolSize === 1) return base;
    if (edge.connType === LONG_LIVED) {
      const n = this.slotNext[base]!;
      this.slotNext[base] = (n + 1) % edge.poolSize;
      return base + n;
    }
    if (edge.proto !== HTTP1) return base;
    let closed = -1;
    let least = base;
    for (let slot = base; slot < base + edge.poolSize; slot++) {
      if (!this.slotOpen[slot]) {
        if (closed < 0) closed = slot;
        continue;
      }
      if (this.slotBusy[slot] === 0) return slot;
      if (this.slotBusy[slot]! < this.slotBusy[least]! || !this.slotOpen[least]) least = slot;
    }
    return closed >= 0 ? closed : least;
  }

  /** The generation a new request or connection to `dst` reaches: the terminating one until callers know. */
  protected routedGen(dst: number): number {
    return this.cal.now < this.podRouteUntil[dst]! ? this.podRouteGen[dst]! : this.podGen[dst]!;
  }

  protected openSlot(edge: Edge, src: number, slot: number, pods: number[]): void {
    // A per-request connection belongs to its call (several may be open from one pod at once): the slot
    // only lends its fields to pick the endpoint, and the call closes the connection itself.
    this.slotOpen[slot] = edge.connType === PER_REQUEST ? 0 : 1;
    this.openConnections++;
    // L4 load balancing (kube-proxy, ztunnel) picks the endpoint once per connection.
    const dst = pods[Math.floor(this.lbRng.next() * pods.length)]!;
    this.slotDst[slot] = dst;
    this.slotGen[slot] = this.routedGen(dst);
    const wps = this.edgeWaypointReady[edge.id] ?? null;
    const wp = wps && wps.length > 0 ? wps[Math.floor(this.lbRng.next() * wps.length)]! : -1;
    this.slotWaypoint[slot] = wp;
    this.slotWpGen[slot] = wp >= 0 ? this.podGen[wp]! : -1;
    const tpl = templateFor(edge, this.podKind[src]!, this.podKind[dst]!);
    this.slotTemplate[slot] = tpl;
    // Which ztunnel generations carry it: an upgraded ztunnel only takes new connections.
    let srcZ = -1;
    let dstZ = -1;
    for (const st of this.w.templates[tpl]!.steps) {
      if (st.attach === SRC_NODE) srcZ = this.ztGen[this.podNode[src]!]!;
      else if (st.attach === DST_NODE) dstZ = this.ztGen[this.podNode[dst]!]!;
    }
    this.slotSrcZ[slot] = srcZ;
    this.slotDstZ[slot] = dstZ;
    this.slotExpiry[slot] = edge.lifetime
      ? this.cal.now + edge.lifetime.sample(this.lifetimeRng)
      : Number.POSITIVE_INFINITY;
  }

  /**
   * Closes a caller connection and everything tied one-to-one to it downstream (ztunnel streams, raw TCP
   * proxied by Envoy), stopping at the first proxy that pools its upstream connections per endpoint.
   */
  protected closeSlot(slot: number, src: number): void {
    this.slotOpen[slot] = 0;
    this.openConnections--;
    this.closeChain(this.slotTemplate[slot]!, src, this.slotDst[slot]!, this.slotWaypoint[slot]!);
  }

  protected closeChain(tpl: number, src: number, dst: number, wp: number): void {
    const w = this.w;
    const steps = w.templates[tpl]!.steps;
    for (let s = 0; s < steps.length; s++) {
      const p = this.resolve(steps[s]!, src, dst, wp);
      this.changeOpen(p, -1);
      const up = steps[s]!.upstream;
      if (up === PER_ENDPOINT_POOL || up === DELIVER) return;
      this.changeOpen(p, -1);
      if (up === STREAM_OVER_POOL) {
        const term = s + 1 < steps.length ? this.resolve(steps[s + 1]!, src, dst, wp) : w.nProxies + dst;
        this.pools.active[this.pools.pair(p, term)]!--;
      }
    }
  }

  /** Envoy's default LEAST_REQUEST balancer: the less busy of two random endpoints. */
  protected leastRequest(pods: number[]): number {
    const n = pods.length;
    const a = pods[Math.floor(this.lbRng.next() * n)]!;
    if (n === 1) return a;
    const b = pods[Math.floor(this.lbRng.next() * n)]!;
    return this.appInflight[b]! < this.appInflight[a]! ? b : a;
  }

  resolve(st: HopStep, src: number, dst: number, wp: number): number {
    const w = this.w;
    switch (st.attach) {
      case SRC_POD:
        return w.podProxy[src]!;
      case SRC_NODE:
        return w.ztunnelOfNode[this.podNode[src]!]!;
      case POOL:
        return w.podProxy[wp]!;
      case DST_POD:
        return w.podProxy[dst]!;
      default:
        return w.ztunnelOfNode[this.podNode[dst]!]!;
    }
  }

  protected stepNode(st: HopStep, src: number, dst: number, wp: number): number {
    if (st.attach === SRC_POD || st.attach === SRC_NODE) return this.podNode[src]!;
    if (st.attach === POOL) return this.podNode[wp]!;
    return this.podNode[dst]!;
  }

  /** Who terminates segment `s` of a call: a proxy id, or nProxies + pod for the application. */
  protected terminator(id: number, s: number): number {
    const k = this.calls;
    const steps = this.w.templates[k.template[id]!]!.steps;
    if (s < steps.length) return this.resolve(steps[s]!, k.src[id]!, k.dst[id]!, k.waypoint[id]!);
    return this.w.nProxies + k.dst[id]!;
  }

  protected delay(a: number, b: number): number {
    if (a === b) return this.w.delay[0]!;
    return this.nodeZone[a] === this.nodeZone[b] ? this.w.delay[1]! : this.w.delay[2]!;
  }

  /** Moves a call to its next position after `after` seconds spent at the current one. */
  protected proceed(id: number, after: number): void {
    const w = this.w;
    const k = this.calls;
    const s = k.step[id]!;
    const tpl = w.templates[k.template[id]!]!;
    const src = k.src[id]!;
    const dst = k.dst[id]!;
    const wp = k.waypoint[id]!;
    const from = s === 0 ? this.podNode[src]! : this.stepNode(tpl.steps[s - 1]!, src, dst, wp);
    const last = s >= tpl.steps.length;
    const st = last ? null : tpl.steps[s]!;
    const linked = st ? st.linkBefore : tpl.linkToDst;
    let t = after;
    if (linked) {
      const to = st ? this.stepNode(st, src, dst, wp) : this.podNode[dst]!;
      const d = this.delay(from, to);
      k.net[id]! += d;
      t += d;
      // A new connection costs a TCP round trip; an mTLS handshake one more plus its crypto.
      if (k.fresh[id]! & (1 << s)) t += 2 * d;
      if (k.handshake[id]! & (1 << s))
        t += 2 * d + (st ? w.classes[st.proxyClass]!.cost.handshakeLatency : 0);
      if (k.measured[id]) {
        const e = w.edges[k.edge[id]!]!;
        const bytes = e.requestBytes + e.responseBytes;
        this.totalBytes += bytes;
        if (this.nodeZone[from] !== this.nodeZone[to]) this.crossZoneBytes += bytes;
      }
    }
    this.cal.schedule(t, last ? this.hApp : this.hStep, id);
  }

  protected onStep(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    const st = this.w.templates[k.template[id]!]!.steps[k.step[id]!]!;
    const p = this.resolve(st, k.src[id]!, k.dst[id]!, k.waypoint[id]!);
    if (this.nodeDark[this.w.proxyNode[p]!] === 1) {
      this.hang(id, this.w.proxyNode[p]!);
      return;
    }
    // A dead proxy refuses the connection: connect-failure, which Istio's retry policy retries.
    if (this.proxyUp[p] === 0) this.failAttempt(id);
    else this.serve(id, p);
  }

  /** Proxy `p` takes the call: its worker, CPU and critical-path time, and the segment it opens. */
  protected serve(id: number, p: number): void {
    const w = this.w;
    const k = this.calls;
    const s = k.step[id]!;
    const steps = w.templates[k.template[id]!]!.steps;
    const st = steps[s]!;
    const cls = st.proxyClass;
    const cost = w.classes[cls]!.cost;
    const kib = w.edges[k.edge[id]!]!.kib;
    let cpu = cost.cpuPerRequest + cost.cpuPerKiB * kib;
    const crit = this.hopTime[cls]!.sample(this.hopRng[cls]!) + cost.criticalPathPerKiB * kib;
    const bit = 1 << s;
    const freshIn = (k.fresh[id]! & bit) !== 0;
    const measuring = this.cal.now >= this.warmup;
    if (freshIn) {
      cpu += cost.cpuPerConnection;
      if (measuring) this.proxyNewConnections[p]!++;
    }
    if (k.handshake[id]! & bit) {
      cpu += cost.cpuPerHandshake;
      if (measuring) this.proxyHandshakes[p]!++;
    }
    if (st.upstream !== DELIVER && s + 1 <= steps.length) {
      const next = s + 1 < steps.length ? steps[s + 1]! : null;
      const tls = next?.tlsIn === true;
      let freshUp = false;
      let handshake = false;
      if (st.upstream === ONE_TO_ONE) {
        freshUp = freshIn;
        handshake = freshUp && tls;
      } else {
        const pair = this.pools.pair(p, this.terminator(id, s + 1));
        const pools = this.pools;
        if (st.upstream === STREAM_OVER_POOL) {
          freshUp = freshIn;
          if (freshUp && ++pools.active[pair]! > pools.open[pair]! * st.streamsPerConnection) {
            pools.open[pair]!++;
            handshake = tls;
          }
        } else {
          if (k.pool[id]! < 0) k.pool[id] = pair;
          else k.pool2[id] = pair;
          const inflight = ++pools.active[pair]!;
          if (pools.open[pair]! < (st.multiplexed ? 1 : inflight)) {
            pools.open[pair]!++;
            freshUp = true;
            handshake = tls;
          }
        }
      }
      if (freshUp) {
        k.fresh[id]! |= bit << 1;
        this.changeOpen(p, 1);
        const term = this.terminator(id, s + 1);
        if (term < w.nProxies) this.changeOpen(term, 1);
      }
      if (handshake) {
        k.handshake[id]! |= bit << 1;
        cpu += cost.cpuPerHandshake;
        if (measuring) this.proxyHandshakes[p]!++;
      }
    }
    // FIFO over the proxy's workers: take the one free soonest.
    const now = this.cal.now;
    const base = p * this.maxWorkers;
    const free = this.workerFree;
    let worker = base;
    for (let i = base + 1, end = base + this.workers[p]!; i < end; i++)
      if (free[i]! < free[worker]!) worker = i;
    const start = Math.max(free[worker]!, now);
    // A throttled worker (CPU limit below the worker count) takes longer for the same CPU.
    const slow = this.speed[cls]!;
    free[worker] = start + cpu / slow;
    const wait = start - now;
    // CPU counts where the worker is busy: an overloaded proxy's backlog past the end of the run is not
    // CPU used within it (else utilisation could exceed its workers).
    const inWindow = Math.min(start + cpu, this.duration) - Math.max(start, this.warmup);
    if (inWindow > 0) this.proxyCpu[p]! += inWindow;
    if (start >= this.warmup && start < this.duration) {
      this.proxyRequests[p]!++;
      this.proxyWaitSum[p]! += wait;
      if (wait > this.proxyWaitMax[p]!) this.proxyWaitMax[p] = wait;
    }
    if (start < this.duration)
      this.cpuBins[1 + cls]![this.bin(start)]! += Math.min(cpu, this.duration - start);
    k.step[id] = s + 1;
    this.proceed(id, wait + crit / slow);
  }

  protected changeOpen(p: number, d: number): void {
    const now = this.cal.now;
    this.proxyOpenArea[p]! += this.proxyOpen[p]! * (now - this.proxyOpenSince[p]!);
    this.proxyOpenSince[p] = now;
    this.proxyOpen[p]! += d;
  }

  // ---- the called application ---------------------------------------------------------------------------

  /** The attempt went to a dark node: no answer, no refusal; only its timeout or the node's return ends it. */
  protected hang(id: number, node: number): void {
    this.hungCalls.push(id);
    this.hungNodes.push(node);
  }

  protected onApp(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    if (this.nodeDark[this.podNode[dst]!] === 1) {
      this.hang(id, this.podNode[dst]!);
      return;
    }
    // The pod it was sent to is gone, or was replaced meanwhile: the connection is refused.
    const gen = k.dstGen[id]!;
    const newest = gen === this.podGen[dst];
    if (k.doomed[id] || gen < this.podAliveFrom[dst]! || (newest && this.podUp[dst] === 0)) {
      this.failAttempt(id);
      return;
    }
    k.phase[id] = 1;
    if (this.appQueues[dst]!.acquire(id) === GRANTED) this.appStart(id);
  }

  protected appStart(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    k.phase[id] = 2;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    const svc = this.w.podService[dst]!;
    const t = Math.max(0, this.w.services[svc]!.serviceTime.sample(this.serviceRng[svc]!));
    const now = this.cal.now;
    if (now >= this.warmup) this.appCpu[dst]! += t;
    this.cpuBins[CPU_APP]![this.bin(now)]! += t;
    k.nextEdge[id] = 0;
    k.repeatLeft[id] = -1;
    k.outstanding[id] = 0;
    this.cal.schedule(t, this.hAppDone, id);
  }

  /**
   * Issues the next batch of downstream calls: a sequential call edge one call at a time, a run of
   * consecutive parallel edges all at once. Answers when none are left, or as soon as one failed.
   */
  protected nextBatch(id: number): void {
    const w = this.w;
    const k = this.calls;
    const dst = k.dst[id]!;
    const edges = w.services[w.podService[dst]!]!.edgeList;
    const n = edges.length;
    const measured = k.measured[id] === 1;
    let next = k.nextEdge[id]!;
    while (k.failed[id] === 0 && next < n) {
      const e = edges[next]!;
      if (e.parallel) {
        let issued = 0;
        const from = next;
        while (next < n && edges[next]!.parallel) next++;
        k.nextEdge[id] = next;
        // Draw every count first so outstanding is complete before any child can answer.
        for (let i = from; i < next; i++) {
          const c = this.drawCount(edges[i]!);
          this.lastCounts[i - from] = c;
          k.outstanding[id]! += c;
          issued += c;
        }
        if (issued > 0) {
          for (let i = from; i < next; i++) {
            const pe = edges[i]!;
            for (let c = this.lastCounts[i - from]!; c > 0; c--) this.issue(pe.id, dst, id, measured);
          }
          return;
        }
        continue;
      }
      let left = k.repeatLeft[id]!;
      if (left < 0) left = this.drawCount(e);
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
    this.appQueues[dst]!.release();
    k.phase[id] = 3;
    this.cal.schedule(k.net[id]!, this.hComplete, id);
  }

  protected drawCount(e: Edge): number {
    const whole = Math.floor(e.count);
    const frac = e.count - whole;
    return frac > 0 && this.countRng[e.id]!.next() < frac ? whole + 1 : whole;
  }

  protected childDone(parent: number, failed: boolean): void {
    const k = this.calls;
    if (failed) k.failed[parent] = 1;
    if (--k.outstanding[parent]! === 0) this.nextBatch(parent);
  }

  protected onComplete(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id);
      return;
    }
    this.endAttempt(id);
    this.finish(id, k.failed[id] === 1);
  }

  /** Undoes what an attempt holds: its endpoint's in-flight count, pooled requests, its own connection. */
  protected endAttempt(id: number): void {
    const w = this.w;
    const k = this.calls;
    const dst = k.dst[id]!;
    if (dst < 0) return;
    if (k.phase[id] === 2) this.appQueues[dst]!.release();
    const src = k.src[id]!;
    const wp = k.waypoint[id]!;
    const tpl = k.template[id]!;
    this.appInflight[dst]!--;
    this.slotBusy[k.slot[id]!]!--;
    // Pooled requests were counted when the call passed that proxy (the pair was remembered then).
    const active = this.pools.active;
    if (k.pool[id]! >= 0 && active[k.pool[id]!]! > 0) active[k.pool[id]!]!--;
    if (k.pool2[id]! >= 0 && active[k.pool2[id]!]! > 0) active[k.pool2[id]!]!--;
    if (w.edges[k.edge[id]!]!.connType === PER_REQUEST && k.fresh[id]! & 1) {
      this.openConnections--;
      this.closeChain(tpl, src, dst, wp);
    }
    k.dst[id] = -1;
  }

  /**
   * The attempt failed (connection refused or reset, no endpoint, its pod or proxy died). Istio's
   * default policy retries connect-failure, refused-stream, unavailable and 503 (which Envoy returns for
   * a reset before the response): only an Envoy on the caller's side (sidecar or waypoint) retries; a
   * pure L4 path has nobody to retry, so the failure reaches the application.
   */
  failAttempt(id: number): void {
    this.endAttempt(id);
    this.calls.phase[id] = 0;
    this.retryOrFail(id);
  }

  /** Timeouts are not retried (Istio's default policy has no per-try timeout); they never come here. */
  protected retryOrFail(id: number): void {
    const k = this.calls;
    const w = this.w;
    const edge = w.edges[k.edge[id]!]!;
    if (
      !k.abandoned[id] &&
      k.attempt[id]! < edge.retries &&
      lbPerRequest(w, edge, this.podKind[k.src[id]!]!)
    ) {
      k.attempt[id]!++;
      this.requestsRetried++;
      this.retryBins[this.bin(this.cal.now)]!++;
      if (k.measured[id]) this.edgeRetries[edge.id]!++;
      const backoff = this.retryRng.next() * Math.min(RETRY_MAX, (2 ** k.attempt[id]! - 1) * RETRY_BASE);
      this.cal.schedule(backoff, this.hRetry, id);
      return;
    }
    this.finish(id, true);
  }

  protected onTimeout(id: number): void {
    const k = this.calls;
    k.timer[id] = -1;
    k.abandoned[id] = 1;
    const parent = k.parent[id]!;
    if (k.measured[id]) {
      this.edgeFailed[k.edge[id]!]!++;
      if (parent < 0) {
        const e = this.w.edges[k.edge[id]!]!.entry;
        this.entryFailed[e]!++;
        this.entryTimedOut[e]!++;
      }
    }
    this.errorBins[this.bin(this.cal.now)]!++;
    if (parent >= 0) this.childDone(parent, true);
  }

  /** The call has its answer (or its final failure): record it and tell whoever made it. */
  protected finish(id: number, failed: boolean): void {
    const k = this.calls;
    if (k.abandoned[id]) {
      this.releaseCall(id);
      return;
    }
    if (k.timer[id]! >= 0) this.cal.cancel(k.timer[id]!);
    const now = this.cal.now;
    const latency = now - k.start[id]!;
    const edgeId = k.edge[id]!;
    const parent = k.parent[id]!;
    if (failed) this.requestsFailed++;
    if (k.measured[id]) {
      if (failed) this.edgeFailed[edgeId]!++;
      else this.edgeHist[edgeId]!.record(latency);
      if (parent < 0) {
        const e = this.w.edges[edgeId]!.entry;
        if (failed) this.entryFailed[e]!++;
        else {
          this.entryCompleted[e]!++;
          this.entryHist[e]!.record(latency);
        }
      }
    }
    if (parent < 0) {
      const bin = this.bin(now);
      if (failed) this.errorBins[bin]!++;
      else this.latencyBins[bin]!.record(latency);
    }
    this.releaseCall(id);
    if (parent >= 0) this.childDone(parent, failed);
  }

  protected releaseCall(id: number): void {
    this.calls.release(id);
  }

  bin(t: number): number {
    const b = Math.floor(t / this.step);
    return b < this.bins ? b : this.bins - 1;
  }
}
