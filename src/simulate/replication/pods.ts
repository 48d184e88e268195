// Runtime state of every pod of a replication: where it runs, how it takes part in the mesh, which
// generation of it serves, whether it is ready (in load balancing) and up (accepting connections).
// Disruptions change these; the request path reads them. (The room new pods take: node-room.ts.)
import { EndpointKind } from '../../mesh/index.ts';
import type { World } from '../world/index.ts';

export class Pods {
  /** The node each pod runs on (move() changes it). */
  readonly node: Int32Array;
  /**
   * The node each proxy runs on: node[proxyPod[p]] kept per proxy, since every hop asks it, and one load
   * is one cache miss on a cluster of tens of thousands of sidecars where two dependent loads were two.
   */
  readonly proxyNode: Int32Array;
  readonly kind: Uint8Array;
  /** Generation serving new connections; a restart starts the next one. */
  readonly gen: Int32Array;
  /** In load balancing (ready and not terminating). */
  readonly ready: Uint8Array;
  /** Its process runs and accepts connections. */
  readonly up: Uint8Array;
  /** Generations below this are dead (killed); older live ones are draining. */
  readonly aliveFrom: Int32Array;
  /** Ready endpoints of every service and waypoint, by owner key (mutated in place, read by the balancers). */
  readonly endpoints = new Map<string, number[]>();
  /** Bumped whenever an endpoint list changes (locality.ts rebuilds its zone lists then). */
  endpointEpoch = 0;
  /** The same lists by service index, and by edge for the edge's waypoint (null: none). */
  readonly serviceEndpoints: number[][];
  readonly waypointEndpoints: (number[] | null)[];
  /** Ready ingress gateway replicas by edge (null: the edge does not enter through the gateway). */
  readonly gatewayEndpoints: (number[] | null)[];
  /**
   * Until `routeUntil`, callers' data planes have not yet seen the pod's endpoint change and still send new
   * requests and connections to generation `routeGen` (the terminating one): the endpoint-propagation race.
   */
  readonly routeGen: Int32Array;
  readonly routeUntil: Float64Array;
  /** Nodes that died without telling anyone: what is sent to them is never answered (black-holed). */
  readonly nodeDark: Uint8Array;
  /** Attempts stuck on a dark node, and that node, until it comes back or their timeout abandons them. */
  readonly hungCalls: number[] = [];
  readonly hungNodes: number[] = [];
  /**
   * Since when each pod exists now (NaN: absent). Pods placed from the start exist throughout; an
   * autoscaler creates and deletes others.
   */
  readonly presentSince: Float64Array;
  /**
   * Seconds of the measured window each pod held memory on a node, and since when it holds it now (NaN:
   * not): while it exists, except while its index is vacant (`setVacant`).
   */
  private readonly heldTime: Float64Array;
  private readonly heldSince: Float64Array;
  /** 1 while a replaced pod's old pod is gone and its new one is not bound to a node yet (Pending). */
  private readonly vacant: Uint8Array;
  private readonly owners: string[];
  private readonly warmup: number;
  private readonly proxyOf: Int32Array;
  /** 1 for a waypoint or gateway pod: the proxy is the pod. */
  private readonly proxyPod: Uint8Array;
  /** 1 for a proxy OOM-killed at every start (world/memory.ts). */
  private readonly proxyCrashLoop: Uint8Array;

  constructor(w: World) {
    const placement = w.placement;
    this.node = Int32Array.from(w.podNode);
    this.proxyNode = Int32Array.from(w.proxyNode);
    this.kind = Uint8Array.from(w.podKind);
    this.gen = new Int32Array(w.nPods);
    this.up = Uint8Array.from(w.podNode, (n) => (n >= 0 ? 1 : 0));
    this.proxyOf = w.podProxy;
    this.proxyPod = Uint8Array.from(placement.pods, (p) =>
      p.kind === 'waypoint' || p.kind === 'gateway' ? 1 : 0,
    );
    this.proxyCrashLoop = w.proxyCrashLoop;
    this.ready = Uint8Array.from(this.up, (up, pod) => (up === 1 && !this.crashLooping(pod) ? 1 : 0));
    this.aliveFrom = new Int32Array(w.nPods);
    this.routeGen = new Int32Array(w.nPods);
    this.routeUntil = new Float64Array(w.nPods);
    this.nodeDark = new Uint8Array(placement.nodes.length);
    for (const [owner, pods] of placement.byOwner) {
      this.endpoints.set(
        owner,
        pods.filter((x) => this.ready[x] === 1),
      );
    }
    this.serviceEndpoints = w.services.map((x) => this.endpoints.get(x.key) ?? []);
    this.waypointEndpoints = w.edges.map((e) =>
      e.waypointOwner ? (this.endpoints.get(e.waypointOwner) ?? []) : null,
    );
    this.gatewayEndpoints = w.edges.map((e) =>
      e.gatewayOwner ? (this.endpoints.get(e.gatewayOwner) ?? []) : null,
    );
    this.owners = placement.pods.map((p) => p.owner);
    this.warmup = w.scenario.simulation.warmup;
    this.presentSince = Float64Array.from(w.podNode, (n) => (n >= 0 ? 0 : Number.NaN));
    this.heldTime = new Float64Array(w.nPods);
    this.heldSince = Float64Array.from(this.presentSince);
    this.vacant = new Uint8Array(w.nPods);
  }

  /** A pod starts or stops existing at `now` (a new pod is bound to its node). */
  setPresent(pod: number, present: boolean, now: number): void {
    if (present === !Number.isNaN(this.presentSince[pod]!)) return;
    this.presentSince[pod] = present ? now : Number.NaN;
    this.vacant[pod] = 0;
    this.hold(pod, present, now);
  }

  /**
   * A rollout's index (an evicted pod, one replaced without surge) has no pod on a node from when its old
   * pod is gone (`vacant`) until its new one is bound: a replacement waiting Pending holds no memory.
   */
  setVacant(pod: number, vacant: boolean, now: number): void {
    if (Number.isNaN(this.presentSince[pod]!) || (this.vacant[pod] === 1) === vacant) return;
    this.vacant[pod] = vacant ? 1 : 0;
    this.hold(pod, !vacant, now);
  }

  private hold(pod: number, held: boolean, now: number): void {
    const since = this.heldSince[pod]!;
    if (held === !Number.isNaN(since)) return;
    if (held) {
      this.heldSince[pod] = now;
      return;
    }
    this.heldTime[pod]! += Math.max(0, now - Math.max(since, this.warmup));
    this.heldSince[pod] = Number.NaN;
  }

  /** Seconds of [warm-up, `end`) the pod held memory on a node (it existed, and was not vacant). */
  presence(pod: number, end: number): number {
    const since = this.heldSince[pod]!;
    const open = Number.isNaN(since) ? 0 : Math.max(0, end - Math.max(since, this.warmup));
    return this.heldTime[pod]! + open;
  }

  /**
   * Its container that must be ready is in CrashLoopBackOff (its sidecar while it has one, or itself as a
   * waypoint or gateway): the pod never becomes ready, whatever restarts it.
   */
  crashLooping(pod: number): boolean {
    const px = this.readinessProxy(pod);
    return px >= 0 && this.proxyCrashLoop[px] === 1;
  }

  /**
   * The proxy whose running the pod's readiness waits on, -1 if none: its sidecar while it has one (the
   * sidecar's readiness probe), or a waypoint or gateway pod's own proxy (its probe is the proxy's).
   */
  readinessProxy(pod: number): number {
    const px = this.proxyOf[pod]!;
    if (px < 0) return -1;
    return this.proxyPod[pod] === 1 || this.kind[pod] === EndpointKind.Sidecar ? px : -1;
  }

  readyCount(owner: string): number {
    return this.endpoints.get(owner)?.length ?? 0;
  }

  /** Ready application pods of every service (the time series samples it). */
  readyApplications(): number {
    let ready = 0;
    for (const pods of this.serviceEndpoints) ready += pods.length;
    return ready;
  }

  /**
   * Puts a pod in or out of load balancing (endpoints follow readiness). Returns the owner whose
   * endpoints changed, or null when nothing changed.
   */
  setReady(pod: number, ready: boolean): string | null {
    if ((this.ready[pod] === 1) === ready) return null;
    this.ready[pod] = ready ? 1 : 0;
    const owner = this.owners[pod]!;
    const list = this.endpoints.get(owner);
    if (!list) return null;
    this.endpointEpoch++;
    if (ready) {
      // Keep endpoints in pod order so the balancers' draws do not depend on restart order.
      let i = list.length;
      while (i > 0 && list[i - 1]! > pod) i--;
      list.splice(i, 0, pod);
    } else {
      const i = list.indexOf(pod);
      if (i >= 0) list.splice(i, 1);
    }
    return owner;
  }

  /** A connection sent to generation `gen` of `dst` is refused: that generation is dead, or it is down. */
  refuses(dst: number, gen: number): boolean {
    return gen < this.aliveFrom[dst]! || (gen === this.gen[dst] && this.up[dst] === 0);
  }

  /** The generation a new request or connection to `dst` reaches: the terminating one until callers know. */
  routedGen(dst: number, now: number): number {
    return now < this.routeUntil[dst]! ? this.routeGen[dst]! : this.gen[dst]!;
  }

  /** An attempt reached a dark node: no answer, no refusal; only its timeout or the node's return ends it. */
  hang(id: number, node: number): void {
    this.hungCalls.push(id);
    this.hungNodes.push(node);
  }

  /** The attempts stuck on `node`, oldest first, removed from the hung list. */
  takeHung(node: number): number[] {
    const stuck: number[] = [];
    for (let i = this.hungCalls.length - 1; i >= 0; i--) {
      if (this.hungNodes[i] !== node) continue;
      stuck.push(this.hungCalls[i]!);
      this.hungCalls.splice(i, 1);
      this.hungNodes.splice(i, 1);
    }
    return stuck.reverse();
  }

  /** Generation `gen` of the pod is gone. */
  markDead(pod: number, gen: number): void {
    if (this.aliveFrom[pod]! <= gen) this.aliveFrom[pod] = gen + 1;
  }

  /**
   * Pod `pod` now runs on `node` (rescheduled), and so does its proxy (a sidecar, waypoint or gateway: a
   * pod holds one at most, world/proxies.ts; ztunnels are bound to their nodes and never move).
   */
  move(pod: number, node: number): void {
    this.node[pod] = node;
    const px = this.proxyOf[pod]!;
    if (px >= 0) this.proxyNode[px] = node;
  }
}
