// One replication: the request path (request-path.ts) plus what the disruption controllers of src/events
// may do to it (the DisruptionHost interface): readiness, pod generations, kills, resets, faults, room
// for new pods. These run rarely, so closures and scans are fine here; the hot path stays in the base.
import { type Distribution, GRANTED, Histogram, RandomStreams, type Rng } from '../../sim/index.ts';
import {
  type DisruptionCounters,
  type DisruptionHost,
  type DisruptionRecord,
  scheduleEvents,
} from '../events/index.ts';
import { makeDistribution } from '../traffic/index.ts';
import { HIST, RequestPath, TCP } from './request-path.ts';
import { ConnType, type Edge, type World } from './world.ts';

export class Engine extends RequestPath implements DisruptionHost {
  /** Free allocatable room per node (cpu cores, memory bytes, pod slots), for surge and rescheduled pods. */
  readonly roomCpu: Float64Array;
  readonly roomMemory: Float64Array;
  readonly roomPods: Int32Array;
  /** Called whenever readiness changes, with the owner: disruption records track lowest ready capacity. */
  readinessListeners: Array<(owner: string) => void> = [];
  /** Called when room frees on a node (a pending pod may now fit). */
  roomListeners: Array<() => void> = [];
  private readonly startup: Distribution;
  private readonly startupRng: Rng;
  /** What each disruption event did (filled when the run ends). */
  disruption: DisruptionRecord[] = [];
  private readonly hTick: number;
  private readonly hAction: number;
  /** Rare scheduled actions (disruption controllers): closures are fine off the hot path. */
  private readonly actions: Array<(() => void) | null> = [];
  private readonly freeActions: number[] = [];

  constructor(w: World, seed: string) {
    super(w, seed);
    const streams = new RandomStreams(seed);
    const c = this.cal;
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
    this.startup = makeDistribution(w.scenario.lifecycle.podStartup);
    this.startupRng = streams.stream('pod-startup');
    this.hTick = c.on((b) => this.tick(b));
    this.hAction = c.on((a) => {
      const f = this.actions[a]!;
      this.actions[a] = null;
      this.freeActions.push(a);
      f();
    });
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
    for (const q of this.appQueues) q?.resetStats(now);
    this.proxyOpenArea.fill(0);
    this.proxyOpenSince.fill(now);
  }

  private stopMeasuring(): void {
    const now = this.cal.now;
    for (let p = 0; p < this.w.nProxies; p++) {
      this.proxyOpenArea[p]! += this.proxyOpen[p]! * (now - this.proxyOpenSince[p]!);
      this.proxyOpenSince[p] = now;
    }
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

  /** Generation `gen` stops accepting (its application exited): new requests to it are refused. */
  stopAccepting(pod: number, gen: number): void {
    if (this.podAliveFrom[pod]! <= gen) this.podAliveFrom[pod] = gen + 1;
  }

  /**
   * Until time `until`, new requests and connections to the pod still go to generation `gen` (callers'
   * endpoints not yet updated). If the old process has exited by the end of that window, the connections
   * opened to it meanwhile were refused: they are dropped then, and their clients reconnect to a current
   * endpoint (a process still running closes its connections itself when it exits).
   */
  routeToOld(pod: number, gen: number, until: number): void {
    this.podRouteGen[pod] = gen;
    this.podRouteUntil[pod] = until;
    this.after(until - this.cal.now, () => {
      if (this.podAliveFrom[pod]! <= gen) return;
      const svc = this.w.podService[pod]!;
      this.forOpenSlots(
        (e) => e.to === svc,
        (slot, e) => {
          if (this.slotDst[slot] === pod && this.slotGen[slot] === gen)
            this.closeSlot(slot, this.slotCaller(slot, e));
        },
      );
    });
  }

  /**
   * A node goes dark (it died: nothing on it answers, nothing refuses) or comes back: the attempts stuck on
   * it then fail (the rebooted node answers their packets with resets) and may be retried.
   */
  blackHoleNode(node: number, dark: boolean): void {
    this.nodeDark[node] = dark ? 1 : 0;
    if (dark) return;
    const stuck: number[] = [];
    for (let i = this.hungCalls.length - 1; i >= 0; i--) {
      if (this.hungNodes[i] !== node) continue;
      stuck.push(this.hungCalls[i]!);
      this.hungCalls.splice(i, 1);
      this.hungNodes.splice(i, 1);
    }
    for (const id of stuck.reverse()) this.failAttempt(id);
  }

  /** The newest generation's process is (or is not) running. */
  setUp(pod: number, up: boolean): void {
    this.podUp[pod] = up ? 1 : 0;
  }

  get lifecycle() {
    return this.w.scenario.lifecycle;
  }

  get meshVersion(): string {
    return this.w.scenario.mesh.version;
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
        this.failAttempt(id);
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

  /**
   * A pod generation's proxy starts draining: it tells the clients of its connections to go (HTTP/1.1
   * Connection: close, HTTP/2 GOAWAY); they reconnect elsewhere and nothing fails. Long-lived streams
   * stay: a GOAWAY ends no stream already open.
   */
  goAway(pod: number, gen: number): void {
    const w = this.w;
    const svc = w.podService[pod]!;
    const owner = w.placement.pods[pod]!.owner;
    const isWaypoint = w.placement.pods[pod]!.kind === 'waypoint';
    this.forOpenSlots(
      (e) => (e.to === svc || (isWaypoint && e.waypointOwner === owner)) && e.connType !== ConnType.LongLived,
      (slot, e) => {
        const hit = isWaypoint
          ? this.slotWaypoint[slot] === pod && this.slotWpGen[slot] === gen
          : this.slotDst[slot] === pod && this.slotGen[slot] === gen;
        if (hit) this.resetSlot(slot, e, false, e.proto === TCP);
      },
    );
  }

  /**
   * The proxy of a pod generation exits (its drain ended, or SIGKILL came first): the caller connections
   * still bound to it (with `streamsOnly`, only long-lived streams, which a GOAWAY does not end) are
   * reset under their requests.
   */
  resetConnectionsTo(pod: number, gen: number, streamsOnly = false): void {
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
        if (hit && (!streamsOnly || e.connType === ConnType.LongLived)) this.resetSlot(slot, e, true);
      },
    );
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
    // Requests are sums of decimal quantities (0.1 + 0.2 ...): compare with a tolerance far below any
    // request (a nano-core, a microbyte) so an exact fit is not refused for float rounding.
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

  roomOf(node: number): { cpu: number; memory: number; pods: number } {
    return { cpu: this.roomCpu[node]!, memory: this.roomMemory[node]!, pods: this.roomPods[node]! };
  }

  movePod(pod: number, node: number): void {
    this.podNode[pod] = node;
  }

  /** A client's reconnect back-off after a reset (lifecycle.reconnectBackoff). */
  backoff(): number {
    return this.reconnectBackoff.sample(this.reconnectRng);
  }
}
