// Drives every request of a run through its hops on the sim/ kernel. Each proxy is a multi-server queue
// (its workers); a request holds a worker for its CPU time and moves on after its critical-path time.
// Calls live in a CallTable and events carry call ids, so nothing is allocated per event.
import {
  Calendar,
  type Distribution,
  GRANTED,
  Histogram,
  RandomStreams,
  type Rng,
  ServerQueue,
} from '../../sim/index.ts';
import { type DisruptionCounters, type DisruptionRecord, scheduleEvents } from '../events/index.ts';
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
const TCP = ProtocolClass.Tcp;

/** Component slots of the CPU time series. */
export const CPU_APP = 0;
const HIST = { lowest: 1e-6, highest: 1e3 };
/**
 * Envoy's retry back-off (config.route.v3.RetryPolicy, D): base interval 25 ms, max interval 10x base;
 * retry N waits a uniform random time in [0, (2^N - 1) x base], capped at the max interval.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
const RETRY_BASE = 0.025;
const RETRY_MAX = 10 * RETRY_BASE;

export class Engine {
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
  private readonly maxWorkers: number;
  /** Waiting time statistics per proxy (requests started after the warm-up). */
  readonly proxyWaitSum: Float64Array;
  readonly proxyWaitMax: Float64Array;
  readonly proxyCpu: Float64Array;
  readonly proxyRequests: Float64Array;
  readonly proxyHandshakes: Float64Array;
  readonly proxyNewConnections: Float64Array;
  readonly proxyOpen: Int32Array;
  readonly proxyOpenPeak: Int32Array;
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
  private readonly serviceReady: number[][];
  private readonly edgeWaypointReady: (number[] | null)[];
  /** Generations below this are dead (killed); older live ones are draining. */
  readonly podAliveFrom: Int32Array;
  readonly proxyUp: Uint8Array;
  /** Free allocatable room per node (cpu cores, memory bytes, pod slots), for surge and rescheduled pods. */
  readonly roomCpu: Float64Array;
  readonly roomMemory: Float64Array;
  readonly roomPods: Int32Array;
  /** Caller connections open now. */
  openConnections = 0;
  /** Called whenever readiness changes, with the owner: disruption records track lowest ready capacity. */
  readinessListeners: Array<(owner: string) => void> = [];
  /** Called when room frees on a node (a pending pod may now fit). */
  roomListeners: Array<() => void> = [];
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
  eventsAtWarmup = 0;

  private readonly nodeZone: Int32Array;
  private readonly hopTime: Distribution[];
  private readonly hopRng: Rng[];
  private readonly serviceRng: Rng[];
  private readonly countRng: Rng[];
  private readonly lbRng: Rng;
  private readonly lifetimeRng: Rng;
  private readonly retryRng: Rng;
  readonly reconnectBackoff: Distribution;
  private readonly startup: Distribution;
  private readonly startupRng: Rng;
  /** What each disruption event did (filled when the run ends). */
  disruption: DisruptionRecord[] = [];
  readonly reconnectRng: Rng;
  private readonly arrivalRng: Rng[];
  private readonly gap: ((t: number, rng: Rng) => number)[];
  private readonly entryNext: Int32Array;
  /** Scratch: call counts drawn for one parallel group (issuing never re-enters nextBatch). */
  private readonly lastCounts: Int32Array;
  private readonly hEntry: number;
  private readonly hStep: number;
  private readonly hApp: number;
  private readonly hAppDone: number;
  private readonly hComplete: number;
  private readonly hTimeout: number;
  private readonly hRetry: number;
  private readonly hFail: number;
  private readonly hTick: number;
  private readonly hAction: number;
  /** Rare scheduled actions (disruption controllers): closures are fine off the hot path. */
  private readonly actions: Array<(() => void) | null> = [];
  private readonly freeActions: number[] = [];

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
    this.proxyOpenPeak = new Int32Array(P);
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
    this.proxyUp = new Uint8Array(P).fill(1);
    const nodes = w.placement.nodes;
    this.roomCpu = Float64Array.from(
      nodes,
      (n, i) => n.allocatable.cpu - w.placement.requested[i]!.total.cpu,
    );
    this.roomMemory = Float64Array.from(
      nodes,
      (n, i) => n.allocatable.memory - w.placement.requested[i]!.total.memory,
    );
    this.roomPods = Int32Array.from(nodes, (n, i) => n.maxPods - w.placement.requested[i]!.pods);
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
    this.hopRng = w.classes.map((c) => streams.stream(`hop:${c.name}`));
    this.serviceRng = w.services.map((s) => streams.stream(`service:${s.key}`));
    this.countRng = w.edges.map((e) => streams.stream(`calls:${e.name}`));
    this.lbRng = streams.stream('load-balancing');
    this.lifetimeRng = streams.stream('connection-lifetime');
    this.retryRng = streams.stream('retry-backoff');
    this.reconnectBackoff = makeDistribution(w.scenario.lifecycle.reconnectBackoff);
    this.reconnectRng = streams.stream('reconnect-backoff');
    this.startup = makeDistribution(w.scenario.lifecycle.podStartup);
    this.startupRng = streams.stream('pod-startup');
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
    this.hFail = c.on((id) => this.retryOrFail(id, true));
    this.hTick = c.on((b) => this.tick(b));
    this.hAction = c.on((a) => {
      const f = this.actions[a]!;
      this.actions[a] = null;
      this.freeActions.push(a);
      f();
    });
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

  /** Runs the whole replication. */
  run(): void {
    const c = this.cal;
    for (let b = 0; b < this.bins; b++) c.scheduleAt(b * this.step, this.hTick, b);
    const events = scheduleEvents(this, this.w.scenario);
    for (let i = 0; i < this.w.scenario.traffic.length; i++) {
      c.schedule(this.gap[i]!(0, this.arrivalRng[i]!), this.hEntry, i);
    }
    c.run(this.warmup);
    this.startMeasuring();
    c.run(this.duration);
    this.stopMeasuring();
    this.disruption = events.close(this.duration, this.warmup);
  }

  private startMeasuring(): void {
    const now = this.cal.now;
    this.eventsAtWarmup = this.cal.processed;
    for (const q of this.appQueues) q?.resetStats(now);
    this.proxyOpenArea.fill(0);
    this.proxyOpenSince.fill(now);
    this.proxyOpenPeak.set(this.proxyOpen);
  }

  private stopMeasuring(): void {
    const now = this.cal.now;
    for (let p = 0; p < this.w.nProxies; p++) {
      this.proxyOpenArea[p]! += this.proxyOpen[p]! * (now - this.proxyOpenSince[p]!);
      this.proxyOpenSince[p] = now;
    }
  }

  // ---- entry points ------------------------------------------------------------------------------------

  private onEntry(i: number): void {
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

  private issue(edgeId: number, src: number, parent: number, measured: boolean): void {
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

  private startAttempt(id: number): void {
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
    const dst = lbPerRequest(w, edge, this.podKind[src]!) ? this.leastRequest(pods) : this.slotDst[slot]!;
    const tpl = templateFor(edge, this.podKind[src]!, this.podKind[dst]!);
    k.slot[id] = slot;
    this.slotBusy[slot]!++;
    k.dst[id] = dst;
    k.dstGen[id] = this.podGen[dst]!;
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
  private pickSlot(edge: Edge, src: number): number {
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

  private openSlot(edge: Edge, src: number, slot: number, pods: number[]): void {
    // A per-request connection belongs to its call (several may be open from one pod at once): the slot
    // only lends its fields to pick the endpoint, and the call closes the connection itself.
    this.slotOpen[slot] = edge.connType === PER_REQUEST ? 0 : 1;
    this.openConnections++;
    // L4 load balancing (kube-proxy, ztunnel) picks the endpoint once per connection.
    const dst = pods[Math.floor(this.lbRng.next() * pods.length)]!;
    this.slotDst[slot] = dst;
    this.slotGen[slot] = this.podGen[dst]!;
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
  private closeSlot(slot: number, src: number): void {
    this.slotOpen[slot] = 0;
    this.openConnections--;
    this.closeChain(this.slotTemplate[slot]!, src, this.slotDst[slot]!, this.slotWaypoint[slot]!);
  }

  private closeChain(tpl: number, src: number, dst: number, wp: number): void {
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
  private leastRequest(pods: number[]): number {
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

  private stepNode(st: HopStep, src: number, dst: number, wp: number): number {
    if (st.attach === SRC_POD || st.attach === SRC_NODE) return this.podNode[src]!;
    if (st.attach === POOL) return this.podNode[wp]!;
    return this.podNode[dst]!;
  }

  /** Who terminates segment `s` of a call: a proxy id, or nProxies + pod for the application. */
  private terminator(id: number, s: number): number {
    const k = this.calls;
    const steps = this.w.templates[k.template[id]!]!.steps;
    if (s < steps.length) return this.resolve(steps[s]!, k.src[id]!, k.dst[id]!, k.waypoint[id]!);
    return this.w.nProxies + k.dst[id]!;
  }

  private delay(a: number, b: number): number {
    if (a === b) return this.w.delay[0]!;
    return this.nodeZone[a] === this.nodeZone[b] ? this.w.delay[1]! : this.w.delay[2]!;
  }

  /** Moves a call to its next position after `after` seconds spent at the current one. */
  private proceed(id: number, after: number): void {
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

  private onStep(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id, true);
      return;
    }
    const st = this.w.templates[k.template[id]!]!.steps[k.step[id]!]!;
    const p = this.resolve(st, k.src[id]!, k.dst[id]!, k.waypoint[id]!);
    // A dead proxy refuses the connection: connect-failure, which Istio's retry policy retries.
    if (this.proxyUp[p] === 0) this.failAttempt(id, true);
    else this.serve(id, p);
  }

  /** Proxy `p` takes the call: its worker, CPU and critical-path time, and the segment it opens. */
  private serve(id: number, p: number): void {
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
    free[worker] = start + cpu;
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
    this.proceed(id, wait + crit);
  }

  private changeOpen(p: number, d: number): void {
    const now = this.cal.now;
    this.proxyOpenArea[p]! += this.proxyOpen[p]! * (now - this.proxyOpenSince[p]!);
    this.proxyOpenSince[p] = now;
    const v = (this.proxyOpen[p]! += d);
    if (v > this.proxyOpenPeak[p]!) this.proxyOpenPeak[p] = v;
  }

  // ---- the called application ---------------------------------------------------------------------------

  private onApp(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    // The pod it was sent to is gone, or was replaced meanwhile: the connection is refused.
    const gen = k.dstGen[id]!;
    const newest = gen === this.podGen[dst];
    if (k.doomed[id] || gen < this.podAliveFrom[dst]! || (newest && this.podUp[dst] === 0)) {
      this.failAttempt(id, true);
      return;
    }
    k.phase[id] = 1;
    if (this.appQueues[dst]!.acquire(id) === GRANTED) this.appStart(id);
  }

  private appStart(id: number): void {
    const k = this.calls;
    const dst = k.dst[id]!;
    k.phase[id] = 2;
    if (k.doomed[id]) {
      this.failAttempt(id, true);
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
  private nextBatch(id: number): void {
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
      this.failAttempt(id, true);
      return;
    }
    this.appQueues[dst]!.release();
    k.phase[id] = 3;
    this.cal.schedule(k.net[id]!, this.hComplete, id);
  }

  private drawCount(e: Edge): number {
    const whole = Math.floor(e.count);
    const frac = e.count - whole;
    return frac > 0 && this.countRng[e.id]!.next() < frac ? whole + 1 : whole;
  }

  private childDone(parent: number, failed: boolean): void {
    const k = this.calls;
    if (failed) k.failed[parent] = 1;
    if (--k.outstanding[parent]! === 0) this.nextBatch(parent);
  }

  private onComplete(id: number): void {
    const k = this.calls;
    if (k.doomed[id]) {
      this.failAttempt(id, true);
      return;
    }
    this.endAttempt(id);
    this.finish(id, k.failed[id] === 1);
  }

  /** Undoes what an attempt holds: its endpoint's in-flight count, pooled requests, its own connection. */
  private endAttempt(id: number): void {
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
  failAttempt(id: number, retriable: boolean): void {
    this.endAttempt(id);
    this.calls.phase[id] = 0;
    this.retryOrFail(id, retriable);
  }

  private retryOrFail(id: number, retriable: boolean): void {
    const k = this.calls;
    const w = this.w;
    const edge = w.edges[k.edge[id]!]!;
    if (
      retriable &&
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

  private onTimeout(id: number): void {
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
  private finish(id: number, failed: boolean): void {
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

  private releaseCall(id: number): void {
    this.calls.release(id);
  }

  // ---- disruption primitives (used by src/events through the DisruptionHost interface) -------------------

  get now(): number {
    return this.cal.now;
  }

  /** Runs `fn` after `delay` simulated seconds. */
  after(delay: number, fn: () => void): void {
    const a = this.freeActions.pop() ?? this.actions.length;
    this.actions[a] = fn;
    this.cal.schedule(Math.max(0, delay), this.hAction, a);
  }

  private tick(b: number): void {
    let ready = 0;
    for (const pods of this.serviceReady) ready += pods.length;
    this.readyBins[b] = ready;
    this.openBins[b] = this.openConnections;
  }

  readyCount(owner: string): number {
    return this.ready.get(owner)?.length ?? 0;
  }

  /** Puts a pod in or out of load balancing (endpoints follow readiness). */
  setReady(pod: number, ready: boolean): void {
    if ((this.podReady[pod] === 1) === ready) return;
    this.podReady[pod] = ready ? 1 : 0;
    const owner = this.w.placement.pods[pod]!.owner;
    const list = this.ready.get(owner);
    if (!list) return;
    if (ready) {
      // Keep endpoints in pod order so the balancers' draws do not depend on restart order.
      let i = list.length;
      while (i > 0 && list[i - 1]! > pod) i--;
      list.splice(i, 0, pod);
    } else {
      const i = list.indexOf(pod);
      if (i >= 0) list.splice(i, 1);
    }
    for (const f of this.readinessListeners) f(owner);
  }

  /**
   * A pod's running generation is replaced: new connections go to the next generation; the old one
   * closes its connections after `drain` (graceful: in-flight requests finish) and is killed after
   * `grace` (what is still in flight on it fails). Returns the old generation.
   */
  retire(pod: number, drain: number, grace: number, onGone?: () => void): number {
    const old = this.podGen[pod]!;
    this.podGen[pod] = old + 1;
    this.after(drain, () => this.closeConnectionsTo(pod, old));
    this.after(grace, () => {
      this.kill(pod, old);
      onGone?.();
    });
    return old;
  }

  /** The newest generation's process is (or is not) running. */
  setUp(pod: number, up: boolean): void {
    this.podUp[pod] = up ? 1 : 0;
  }

  get lifecycle() {
    return this.w.scenario.lifecycle;
  }

  get placement() {
    return this.w.placement;
  }

  get ztunnelOfNode(): Int32Array {
    return this.w.ztunnelOfNode;
  }

  proxyOfPod(pod: number): number {
    return this.w.podProxy[pod]!;
  }

  startupTime(): number {
    return Math.max(0, this.startup.sample(this.startupRng));
  }

  readonly counters = (): DisruptionCounters => {
    const byService: Record<string, number> = {};
    this.w.services.forEach((x, i) => {
      if (this.resetsByService[i]! > 0) byService[x.key] = this.resetsByService[i]!;
    });
    return {
      connectionsReset: this.connectionsReset,
      connectionsDrained: this.connectionsDrained,
      pooledConnectionsReset: this.pooledConnectionsReset,
      requestsFailed: this.requestsFailed,
      requestsRetried: this.requestsRetried,
      podsRestarted: this.podsRestarted,
      resetsByService: byService,
    };
  };

  p99Between(from: number, to: number): number | null {
    const h = new Histogram(HIST);
    const last = Math.min(this.bins, Math.ceil(to / this.step));
    for (let b = Math.max(0, Math.floor(from / this.step)); b < last; b++) h.merge(this.latencyBins[b]!);
    return h.count > 0 ? h.quantile(0.99) : null;
  }

  setKind(pod: number, kind: number): void {
    this.podKind[pod] = kind;
  }

  /** Generation `gen` of the pod is gone: calls still on it fail. */
  kill(pod: number, gen: number): void {
    if (this.podAliveFrom[pod]! <= gen) this.podAliveFrom[pod] = gen + 1;
    const k = this.calls;
    for (let id = 0; id < k.capacity; id++) {
      if (k.inUse[id] && k.dst[id] === pod && k.dstGen[id] === gen && !k.doomed[id]) k.doomed[id] = 1;
    }
    this.flushQueue(pod);
  }

  /** Fails the doomed calls waiting in a pod's application queue, keeping the others in order. */
  private flushQueue(pod: number): void {
    const q = this.appQueues[pod];
    if (!q) return;
    const waiting = q.drain();
    for (const id of waiting) {
      if (this.calls.doomed[id]) {
        this.calls.phase[id] = 0;
        this.failAttempt(id, true);
      } else if (q.acquire(id) === GRANTED) this.appStart(id);
    }
  }

  /** Closes the caller connections bound to a pod generation (it drains; clients reconnect). */
  closeConnectionsTo(pod: number, gen: number): void {
    const w = this.w;
    const svc = w.podService[pod]!;
    const owner = w.placement.pods[pod]!.owner;
    const isWaypoint = w.placement.pods[pod]!.kind === 'waypoint';
    this.forOpenSlots(
      (e) => e.to === svc || (isWaypoint && e.waypointOwner === owner),
      (slot, e) => {
        const hit = isWaypoint
          ? this.slotWaypoint[slot] === pod && this.slotWpGen[slot] === gen
          : this.slotDst[slot] === pod && this.slotGen[slot] === gen;
        // HTTP and gRPC connections are drained gracefully (GOAWAY, Connection: close); a raw TCP
        // connection is simply cut when the server goes, which its client sees as a reset.
        if (hit) this.resetSlot(slot, e, false, e.proto === TCP);
      },
    );
    const proxy = w.podProxy[pod]!;
    this.resetPools((o, t) => t === w.nProxies + pod || (proxy >= 0 && (o === proxy || t === proxy)));
  }

  /** Visits every open caller connection of the edges `match` accepts (rare: disruption only). */
  private forOpenSlots(match: (e: Edge) => boolean, visit: (slot: number, e: Edge) => void): void {
    const w = this.w;
    for (const e of w.edges) {
      if (!match(e)) continue;
      const callers = e.entry >= 0 ? w.entryClients[e.entry]!.length : w.services[e.from]!.pods.length;
      const end = e.slotBase + callers * e.poolSize;
      for (let slot = e.slotBase; slot < end; slot++) if (this.slotOpen[slot]) visit(slot, e);
    }
  }

  /** The caller pod owning a slot. */
  private slotCaller(slot: number, e: Edge): number {
    const ordinal = Math.floor((slot - e.slotBase) / e.poolSize);
    const w = this.w;
    return e.entry >= 0 ? w.entryClients[e.entry]![ordinal]! : w.services[e.from]!.pods[ordinal]!;
  }

  /**
   * A caller connection is closed under its client: drained (closed gracefully, in-flight requests
   * finish), cut (a reset its client sees, after in-flight work finished) or, with `abort`, force-closed
   * (a reset with requests in flight on it failing).
   */
  private resetSlot(slot: number, e: Edge, abort: boolean, cut = abort): void {
    const now = this.cal.now;
    const src = this.slotCaller(slot, e);
    this.closeSlot(slot, src);
    // A connection past its lifetime was already closing by itself (it is closed lazily): no reset.
    if (this.slotExpiry[slot]! <= now) return;
    this.slotReconnect[slot] = now + this.backoff();
    if (!cut) {
      // Closed by a draining server (GOAWAY, Connection: close): the client reconnects, nothing fails.
      this.connectionsDrained++;
      return;
    }
    this.connectionsReset++;
    this.resetsByService[e.to]!++;
    this.resetBins[this.bin(now)]!++;
    if (!abort) return;
    const k = this.calls;
    for (let id = 0; id < k.capacity; id++) {
      if (k.inUse[id] && k.slot[id] === slot && k.dst[id]! >= 0 && !k.doomed[id]) k.doomed[id] = 1;
    }
  }

  /** Resets pooled proxy-to-proxy connections (HBONE or Envoy upstream) matching `match`. */
  private resetPools(match: (originator: number, terminator: number) => boolean): void {
    const pools = this.pools;
    for (let i = 0; i < pools.size; i++) {
      if (pools.open[i]! > 0 && match(pools.originator[i]!, pools.terminator[i]!)) {
        this.pooledConnectionsReset += pools.open[i]!;
        pools.open[i] = 0;
      }
    }
  }

  /** Every caller connection whose path crosses proxy `p`, reset; calls on them fail. */
  resetThroughProxy(p: number, abort: boolean): void {
    const w = this.w;
    this.forOpenSlots(
      () => true,
      (slot, e) => {
        const src = this.slotCaller(slot, e);
        for (const st of w.templates[this.slotTemplate[slot]!]!.steps) {
          if (this.resolve(st, src, this.slotDst[slot]!, this.slotWaypoint[slot]!) === p) {
            this.resetSlot(slot, e, abort);
            return;
          }
        }
      },
    );
    this.resetPools((o, t) => o === p || t === p);
    if (abort) this.doomThroughProxy(p);
  }

  /** Calls whose path crosses proxy `p` fail (it died under them). */
  private doomThroughProxy(p: number): void {
    const k = this.calls;
    const w = this.w;
    for (let id = 0; id < k.capacity; id++) {
      if (!k.inUse[id] || k.doomed[id] || k.dst[id]! < 0) continue;
      for (const st of w.templates[k.template[id]!]!.steps) {
        if (this.resolve(st, k.src[id]!, k.dst[id]!, k.waypoint[id]!) === p) {
          k.doomed[id] = 1;
          break;
        }
      }
    }
  }

  /** A proxy crashes (or comes back). Calls and connections through it fail at once. */
  setProxyUp(p: number, up: boolean): void {
    this.proxyUp[p] = up ? 1 : 0;
    if (!up) this.resetThroughProxy(p, true);
  }

  /**
   * An upgraded ztunnel takes over the node's new connections; the old one drains for `drain` seconds and
   * then force-closes what is still open through it (lifecycle.md: new connections never fail).
   */
  ztunnelSwitch(node: number, drain: number): void {
    const old = this.ztGen[node]!;
    this.ztGen[node] = old + 1;
    this.after(drain, () => this.resetOldZtunnel(node, old));
  }

  private resetOldZtunnel(node: number, gen: number): void {
    const w = this.w;
    this.forOpenSlots(
      () => true,
      (slot, e) => {
        const viaSrc = this.slotSrcZ[slot] === gen && this.podNode[this.slotCaller(slot, e)] === node;
        const viaDst = this.slotDstZ[slot] === gen && this.podNode[this.slotDst[slot]!] === node;
        if (viaSrc || viaDst) this.resetSlot(slot, e, true);
      },
    );
    const z = w.ztunnelOfNode[node]!;
    this.resetPools((o, t) => o === z || t === z);
  }

  /** Reserves room for a new pod on `prefer` if it fits, else on the node with most free CPU; -1: none. */
  reserve(cpu: number, memory: number, prefer: number, exclude = -1): number {
    const fits = (n: number) =>
      n >= 0 &&
      n !== exclude &&
      this.roomCpu[n]! >= cpu - 1e-9 &&
      this.roomMemory[n]! >= memory - 1e-6 &&
      this.roomPods[n]! > 0;
    let node = fits(prefer) ? prefer : -1;
    if (node < 0) {
      for (let n = 0; n < this.roomCpu.length; n++)
        if (fits(n) && (node < 0 || this.roomCpu[n]! > this.roomCpu[node]!)) node = n;
    }
    if (node >= 0) {
      this.roomCpu[node]! -= cpu;
      this.roomMemory[node]! -= memory;
      this.roomPods[node]!--;
    }
    return node;
  }

  unreserve(node: number, cpu: number, memory: number): void {
    this.roomCpu[node]! += cpu;
    this.roomMemory[node]! += memory;
    this.roomPods[node]!++;
    for (const f of this.roomListeners) f();
  }

  movePod(pod: number, node: number): void {
    this.podNode[pod] = node;
  }

  /** A client's reconnect back-off after a reset (lifecycle.reconnectBackoff). */
  backoff(): number {
    return this.reconnectBackoff.sample(this.reconnectRng);
  }

  bin(t: number): number {
    const b = Math.floor(t / this.step);
    return b < this.bins ? b : this.bins - 1;
  }
}
