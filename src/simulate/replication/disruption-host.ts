// What the disruption controllers of src/events may do to a running replication (the DisruptionHost
// interface), implemented over its parts: readiness, pod generations, kills, resets, proxy faults, room
// for new pods. These run rarely, so closures and scans are fine here; the hot path stays in the parts.
import type { RandomStreams } from '../../../sim/index.ts';
import { type DisruptionCounters, type DisruptionHost, nativeSidecars } from '../../events/index.ts';
import type { Edge } from '../world/index.ts';
import { ConnectionResets } from './connection-resets.ts';
import { DST_NODE, LONG_LIVED, SRC_NODE, TCP } from './kinds.ts';
import { NodeRooms } from './node-room.ts';
import type { Parts } from './parts.ts';
import { PodMemory } from './pod-memory.ts';
import { PodStartup } from './pod-startup.ts';
import type { RequestPath } from './request-path.ts';
import type { Segments } from './segments.ts';
import { XdsApply } from './xds-apply.ts';

export class ReplicationHost implements DisruptionHost {
  /** Called whenever readiness changes, with the owner: disruption records track lowest ready capacity. */
  readinessListeners: Array<(owner: string) => void> = [];
  /** Room for new pods on the nodes (surge, rescheduled, autoscaled and scaled pods reserve it). */
  readonly room: NodeRooms;
  /** Set by istiod's push load (events/istiod-load.ts) when istiod runs. */
  proxyConnected?: (proxy: number) => void;
  /** The CPU proxies spend applying istiod's pushes. */
  readonly xds: XdsApply;
  private readonly memory: PodMemory;
  private readonly p: Parts;
  private readonly path: RequestPath;
  private readonly segments: Segments;
  private readonly resets: ConnectionResets;
  private readonly startup: PodStartup;
  /** Runs `fn` after `delay` simulated seconds. */
  readonly after: (delay: number, fn: () => void) => void;

  /** `after` runs a closure after a delay on the replication's calendar. */
  constructor(
    p: Parts,
    path: RequestPath,
    segments: Segments,
    streams: RandomStreams,
    after: (delay: number, fn: () => void) => void,
  ) {
    this.p = p;
    this.path = path;
    this.segments = segments;
    this.startup = new PodStartup(p.w, streams);
    this.after = after;
    this.room = new NodeRooms(p.w.placement, p.w.scenario.cluster.scheduler?.percentageOfNodesToScore);
    this.resets = new ConnectionResets(p, segments);
    this.xds = new XdsApply(p);
    this.memory = new PodMemory(p);
  }

  podMemory(pod: number, captured: number): number {
    return this.memory.of(pod, captured);
  }

  applyFullPush(proxy: number): void {
    this.xds.full(proxy);
  }

  applyPush(changed: ReadonlySet<string>, updates: number, needs: (owner: string) => boolean): void {
    this.xds.changes(changed, updates, needs);
  }

  get now(): number {
    return this.p.cal.now;
  }

  get lifecycle() {
    return this.p.w.scenario.lifecycle;
  }

  get placement() {
    return this.p.w.placement;
  }

  get meshVersion(): string {
    return this.p.w.scenario.mesh.version;
  }

  get podNode(): Int32Array {
    return this.p.pods.node;
  }

  get podKind(): Uint8Array {
    return this.p.pods.kind;
  }

  get podReady(): Uint8Array {
    return this.p.pods.ready;
  }

  get podUp(): Uint8Array {
    return this.p.pods.up;
  }

  get podGen(): Int32Array {
    return this.p.pods.gen;
  }

  get ztunnelOfNode(): Int32Array {
    return this.p.w.ztunnelOfNode;
  }

  get podsRestarted(): number {
    return this.p.recorder.podsRestarted;
  }

  set podsRestarted(n: number) {
    this.p.recorder.podsRestarted = n;
  }

  proxyOfPod(pod: number): number {
    return this.p.w.podProxy[pod]!;
  }

  startupTime(pod = -1, kind = pod >= 0 ? this.p.pods.kind[pod]! : -1): number {
    return this.startup.time(pod, kind, nativeSidecars(this));
  }

  podCpuSeconds(pod: number, container?: 'application' | 'istio-proxy'): number {
    const app = this.p.apps.used[pod]!;
    const px = this.p.w.podProxy[pod]!;
    const proxy = px >= 0 ? this.p.proxies.usedOf(px) : 0;
    return container === 'application' ? app : container === 'istio-proxy' ? proxy : app + proxy;
  }

  setPresent(pod: number, present: boolean): void {
    this.p.pods.setPresent(pod, present, this.now);
  }

  setVacant(pod: number, vacant: boolean): void {
    this.p.pods.setVacant(pod, vacant, this.now);
  }

  podPresent(pod: number): boolean {
    return !Number.isNaN(this.p.pods.presentSince[pod]!);
  }

  readyCount(owner: string): number {
    return this.p.pods.readyCount(owner);
  }

  /**
   * Puts a pod in or out of load balancing (endpoints follow readiness). A pod whose proxy is down (a
   * fault, an OOM kill's back-off, a crash loop) stays out: its readiness probe goes through that proxy.
   */
  setReady(pod: number, ready: boolean): void {
    const pods = this.p.pods;
    const px = pods.readinessProxy(pod);
    const owner = pods.setReady(
      pod,
      ready && !pods.crashLooping(pod) && (px < 0 || this.p.proxies.up[px] === 1),
    );
    if (owner !== null) for (const f of this.readinessListeners) f(owner);
  }

  /**
   * A pod's running generation is replaced: new connections go to the next generation; the old one
   * closes its connections after `drain` (graceful: in-flight requests finish) and is killed after
   * `grace` (what is still in flight on it fails). Returns the old generation.
   */
  retire(pod: number, drain: number, grace: number, onGone?: () => void): number {
    const gen = this.p.pods.gen;
    const old = gen[pod]!;
    gen[pod] = old + 1;
    this.after(drain, () => this.closeConnectionsTo(pod, old));
    this.after(grace, () => {
      this.kill(pod, old);
      onGone?.();
    });
    return old;
  }

  /** Generation `gen` stops accepting (its application exited): new requests to it are refused. */
  stopAccepting(pod: number, gen: number): void {
    this.p.pods.markDead(pod, gen);
  }

  /**
   * Until time `until`, new requests and connections to the pod still go to generation `gen` (callers'
   * endpoints not yet updated). If the old process has exited by the end of that window, the connections
   * opened to it meanwhile were refused: they are dropped then, and their clients reconnect to a current
   * endpoint (a process still running closes its connections itself when it exits).
   */
  routeToOld(pod: number, gen: number, until: number): void {
    const pods = this.p.pods;
    pods.routeGen[pod] = gen;
    pods.routeUntil[pod] = until;
    this.after(until - this.now, () => {
      if (pods.aliveFrom[pod]! <= gen) return;
      const c = this.p.connections;
      const svc = this.p.w.podService[pod]!;
      c.forOpen(
        (e) => e.to === svc,
        (slot, e) => {
          if (c.dstOf(slot) === pod && c.dstGenOf(slot) === gen)
            this.segments.closeSlot(slot, c.caller(slot, e));
        },
      );
    });
  }

  /**
   * A node goes dark (it died: nothing on it answers, nothing refuses) or comes back: the attempts stuck on
   * it then fail (the rebooted node answers their packets with resets) and may be retried.
   */
  blackHoleNode(node: number, dark: boolean): void {
    this.p.pods.nodeDark[node] = dark ? 1 : 0;
    if (dark) return;
    for (const id of this.p.pods.takeHung(node)) this.path.failAttempt(id);
  }

  /**
   * A pod generation's proxy starts draining: it tells the clients of its connections to go (HTTP/1.1
   * Connection: close, HTTP/2 GOAWAY); they reconnect elsewhere and nothing fails. Long-lived streams
   * stay: a GOAWAY ends no stream already open.
   */
  goAway(pod: number, gen: number): void {
    this.forConnectionsTo(pod, gen, (slot, e) => {
      if (e.connType !== LONG_LIVED) this.resets.slot(slot, e, false, e.proto === TCP);
    });
  }

  /**
   * The proxy of a pod generation exits (its drain ended, or SIGKILL came first): the caller connections
   * still bound to it (with `streamsOnly`, only long-lived streams, which a GOAWAY does not end) are
   * reset under their requests.
   */
  resetConnectionsTo(pod: number, gen: number, streamsOnly = false): void {
    this.forConnectionsTo(pod, gen, (slot, e) => {
      if (!streamsOnly || e.connType === LONG_LIVED) this.resets.slot(slot, e, true);
    });
  }

  /**
   * Visits the open caller connections bound to generation `gen` of a pod (or of a waypoint or ingress
   * gateway replica).
   */
  private forConnectionsTo(pod: number, gen: number, visit: (slot: number, e: Edge) => void): void {
    const w = this.p.w;
    const c = this.p.connections;
    const svc = w.podService[pod]!;
    const owner = w.placement.pods[pod]!.owner;
    const isWaypoint = w.placement.pods[pod]!.kind === 'waypoint';
    const isGateway = w.placement.pods[pod]!.kind === 'gateway';
    c.forOpen(
      (e) =>
        isGateway ? e.gatewayOwner === owner : e.to === svc || (isWaypoint && e.waypointOwner === owner),
      (slot, e) => {
        const hit = isGateway
          ? c.gatewayOf(slot) === pod && c.gatewayGenOf(slot) === gen
          : isWaypoint
            ? c.waypointOf(slot) === pod && c.waypointGenOf(slot) === gen
            : c.dstOf(slot) === pod && c.dstGenOf(slot) === gen;
        if (hit) visit(slot, e);
      },
    );
  }

  /**
   * The newest generation's process is (or is not) running. A new generation's proxy is a new container:
   * nothing that held the old one down (a fault, a crash back-off) holds it.
   */
  setUp(pod: number, up: boolean): void {
    this.p.pods.up[pod] = up ? 1 : 0;
    const px = this.p.w.podProxy[pod]!;
    if (up && px >= 0) this.proxyReplaced(px);
  }

  setKind(pod: number, kind: number): void {
    this.p.pods.kind[pod] = kind;
  }

  movePod(pod: number, node: number): void {
    this.p.pods.move(pod, node);
  }

  readonly counters = (): DisruptionCounters => {
    const r = this.p.recorder;
    return {
      connectionsReset: r.connectionsReset,
      connectionsDrained: r.connectionsDrained,
      pooledConnectionsReset: r.pooledConnectionsReset,
      requestsFailed: r.requestsFailed,
      requestsRetried: r.requestsRetried,
      podsRestarted: r.podsRestarted,
      resetsByService: r.resetsByServiceKey(),
    };
  };

  p99Between(from: number, to: number): number | null {
    return this.p.recorder.p99Between(from, to);
  }

  /** Generation `gen` of the pod is gone: calls still on it fail. */
  kill(pod: number, gen: number): void {
    this.p.pods.markDead(pod, gen);
    const k = this.p.calls;
    const tpl = this.p.w.templates;
    for (let id = 0; id < k.capacity; id++) {
      // Doomed at its pod (past the last step): retries.ts tells what its retrier sees.
      if (k.inUse[id] && k.dst[id] === pod && k.dstGen[id] === gen && !k.doomed[id])
        k.doomed[id] = tpl[k.template[id]!]!.steps.length + 1;
    }
    this.flushQueue(pod);
  }

  /** Fails the doomed calls waiting in a pod's application queue, keeping the others in order. */
  private flushQueue(pod: number): void {
    const q = this.p.apps.queues;
    const waiting = q.drain(pod);
    for (const id of waiting) {
      // Its request was sent: a reset after send (failAttempt reads that from the phase).
      if (this.p.calls.doomed[id]) {
        this.path.failAttempt(id);
      } else if (q.acquire(pod, id)) this.path.appStart(id);
    }
  }

  /** Closes the caller connections bound to a pod generation (it drains; clients reconnect). */
  private closeConnectionsTo(pod: number, gen: number): void {
    const w = this.p.w;
    // HTTP and gRPC connections are drained gracefully (GOAWAY, Connection: close); a raw TCP
    // connection is simply cut when the server goes, which its client sees as a reset.
    this.forConnectionsTo(pod, gen, (slot, e) => this.resets.slot(slot, e, false, e.proto === TCP));
    const proxy = w.podProxy[pod]!;
    // Pools to the pod end with it (ztunnel keys its HBONE pools by destination workload, pool.rs).
    this.resets.pools(
      (o, t, peer) => peer === pod || t === w.nProxies + pod || (proxy >= 0 && (o === proxy || t === proxy)),
    );
  }

  /**
   * A proxy crashes, or one of the things that held it down ends. Calls and connections through it fail
   * at once. Faults, OOM kills and replacements overlap: a proxy a fault killed during its OOM back-off
   * runs only once both are over, so each call with `up` ends one call without. `container` (the
   * generation the hold was taken on, proxyContainer) makes the end of a hold on a container since
   * replaced end nothing.
   */
  setProxyUp(p: number, up: boolean, container = this.p.proxies.container[p]!): void {
    if (up) {
      this.p.proxies.release(p, container);
      return;
    }
    this.p.proxies.hold(p);
    this.resets.throughProxy(p, true);
  }

  proxyContainer(p: number): number {
    return this.p.proxies.container[p]!;
  }

  /** A new container of the proxy starts: what held the old one down holds it no longer. */
  proxyReplaced(p: number): void {
    this.p.proxies.replace(p);
  }

  /**
   * An upgraded ztunnel takes over the node's new connections; the old one drains for `drain` seconds and
   * then force-closes what is still open through it (lifecycle.md: new connections never fail).
   */
  ztunnelSwitch(node: number, drain: number): void {
    const gens = this.p.proxies.ztunnelGen;
    const old = gens[node]!;
    gens[node] = old + 1;
    this.after(drain, () => this.resetOldZtunnel(node, old));
  }

  private resetOldZtunnel(node: number, gen: number): void {
    const { w, connections: c, pods } = this.p;
    c.forOpen(
      () => true,
      (slot, e) => {
        const viaSrc = c.srcZtunnelGenOf(slot) === gen && pods.node[c.caller(slot, e)] === node;
        const viaDst = c.dstZtunnelGenOf(slot) === gen && pods.node[c.dstOf(slot)]! === node;
        if (!viaSrc && !viaDst) return;
        // Where on the path the old ztunnel is (the caller's side first, as the connection meets it).
        const attach = viaSrc ? SRC_NODE : DST_NODE;
        const at = w.templates[c.templateOf(slot)]!.steps.findIndex((st) => st.attach === attach);
        this.resets.slot(slot, e, true, true, Math.max(0, at));
      },
    );
    const z = w.ztunnelOfNode[node]!;
    this.resets.pools((o, t) => o === z || t === z);
  }
}
