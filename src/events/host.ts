// What the disruption controllers may do to a running simulation. The engine implements it; the
// controllers know Kubernetes (rollouts, DaemonSets, evictions), the engine knows calls and connections.
import type { NodeSearch, Placement } from '../cluster/index.ts';
import type { Lifecycle, Resources } from '../scenario/index.ts';

export interface DisruptionHost {
  readonly now: number;
  after(delay: number, fn: () => void): void;
  /**
   * Pod start-to-ready time, drawn from the scenario's lifecycle (podStartup); for pod `pod` starting as
   * `kind` (its current kind by default) with a sidecar, the sidecar's start too (disruption-host.ts).
   */
  startupTime(pod?: number, kind?: number): number;
  readonly lifecycle: Lifecycle;
  /** The scenario's mesh.version: version-dependent rules follow it. */
  readonly meshVersion: string;
  readonly placement: Placement;
  readonly podNode: Int32Array;
  readonly podKind: Uint8Array;
  readonly podReady: Uint8Array;
  readonly podUp: Uint8Array;
  readonly podGen: Int32Array;
  /** The proxy inside a pod (sidecar, or the waypoint it is), -1 if none. */
  proxyOfPod(pod: number): number;
  readonly ztunnelOfNode: Int32Array;
  readyCount(owner: string): number;
  setReady(pod: number, ready: boolean): void;
  retire(pod: number, drain: number, grace: number, onGone?: () => void): number;
  setUp(pod: number, up: boolean): void;
  /** Generation `gen`'s application has exited: new requests to it are refused (in-flight ones finish). */
  stopAccepting(pod: number, gen: number): void;
  /** Until `until`, callers still send new requests to generation `gen` (endpoint change not yet seen). */
  routeToOld(pod: number, gen: number, until: number): void;
  /** A draining proxy tells its clients to go (GOAWAY, Connection: close); long-lived streams stay. */
  goAway(pod: number, gen: number): void;
  /**
   * Resets (with their requests) the caller connections still bound to a pod generation, or with
   * `streamsOnly` only its long-lived streams: what its proxy leaves when it exits.
   */
  resetConnectionsTo(pod: number, gen: number, streamsOnly?: boolean): void;
  setKind(pod: number, kind: number): void;
  kill(pod: number, gen: number): void;
  /**
   * A proxy goes down, or one thing holding it down ends (it runs once none is left). With `container`
   * (proxyContainer when the hold began), the end of a hold on a container since replaced ends nothing.
   */
  setProxyUp(proxy: number, up: boolean, container?: number): void;
  /** Generation of the proxy's container (proxyReplaced starts the next). */
  proxyContainer(proxy: number): number;
  /**
   * A new container of the proxy starts (a new pod, its node rebooted, a DaemonSet's new ztunnel):
   * nothing that held the old one down (a fault, an OOM kill's back-off) holds it.
   */
  proxyReplaced(proxy: number): void;
  /** The node dies silently (requests to it hang) or comes back (what hung on it fails). */
  blackHoleNode(node: number, dark: boolean): void;
  ztunnelSwitch(node: number, drain: number): void;
  /** Room for new pods on the nodes, and which nodes take none. */
  readonly room: NodeRoom;
  movePod(pod: number, node: number): void;
  /**
   * CPU seconds a pod's containers (application and its proxy) used since the run began, or only its
   * application's or its sidecar's.
   */
  podCpuSeconds(pod: number, container?: 'application' | 'istio-proxy'): number;
  /** Bytes a pod's containers use now; `captured`: the pods ztunnel captures on its node (for a ztunnel). */
  podMemory(pod: number, captured: number): number;
  /** A pod is created (it holds room on its node) or gone: what it costs is counted while it exists. */
  setPresent(pod: number, present: boolean): void;
  /**
   * A replaced pod's old pod is gone before its new one is bound to a node (true), or the new one is bound
   * (false): its memory is not counted in between.
   */
  setVacant(pod: number, vacant: boolean): void;
  /** True while a pod exists (placed at the start or created since, and not gone). */
  podPresent(pod: number): boolean;
  readinessListeners: Array<(owner: string) => void>;
  /**
   * Set by whoever follows endpoint changes (istiod's push load): called when a pod's endpoint changes
   * without its readiness changing (a rollout's new generation taking over the pod's place).
   */
  endpointsChanged?: (owner: string) => void;
  /** Likewise, called when a proxy (re)connects to istiod, which answers with a full push to it. */
  proxyConnected?: (proxy: number) => void;
  /** istiod's full push reaches a (re)connected proxy: it applies its whole configuration on its node. */
  applyFullPush?(proxy: number): void;
  /**
   * istiod's debounced push of the endpoint changes of `changed` (service keys; `updates` endpoint events
   * in all) reaches the connected proxies: every ztunnel and waypoint, the sidecars of the owners `needs`
   * says; each applies what it holds of it on its node.
   */
  applyPush?(changed: ReadonlySet<string>, updates: number, needs: (owner: string) => boolean): void;
  podsRestarted: number;
  readonly counters: () => DisruptionCounters;
  /** p99 of entry requests completed in [from, to), null if none. */
  p99Between(from: number, to: number): number | null;
}

export interface DisruptionCounters {
  connectionsReset: number;
  connectionsDrained: number;
  pooledConnectionsReset: number;
  requestsFailed: number;
  requestsRetried: number;
  podsRestarted: number;
  resetsByService: Record<string, number>;
}

/** Where a replacement may go besides a node with room (NodeRoom.reserve). */
export interface ReserveRules {
  /** Never this node (the one being drained). */
  exclude?: number;
  /** A DaemonSet pod bound to its node: a node closed to new pods still takes it. */
  anyState?: boolean;
  /** Only the nodes marked 1 (the pod's nodeSelector and tolerations). */
  allowed?: Uint8Array;
}

/** The allocatable room each node has left for new pods, and the nodes closed to them. */
export interface NodeRoom {
  /** Allocatable room still free on a node. */
  of(node: number): { cpu: number; memory: number; pods: number };
  /**
   * Reserves room on `prefer` if it fits, else on the node with most free CPU, never on a node `rules`
   * rule out nor on one closed to new pods (unless `anyState`); -1 when none fits.
   */
  reserve(cpu: number, memory: number, prefer: number, rules?: ReserveRules, scoring?: Resources): number;
  /** Gives room back; the pods waiting for room retry. */
  unreserve(node: number, cpu: number, memory: number, scoring?: Resources): void;
  /**
   * What kube-scheduler's scoring adds on a node to the requests its room is kept in: the defaults of
   * its pods' containers that request nothing (cluster/non-zero.ts scoringDefaults; `scoring` above, the
   * pod's own, defaults to none).
   */
  scoringExtra(node: number): Resources;
  /** Why a node takes no new pods now (cluster/reason.ts NODE_CORDONED, NODE_UNREACHABLE), null if it does. */
  closed(node: number): string | null;
  /** Closes a node to new pods with kube-scheduler's reason, or opens it again (null): pending pods retry. */
  close(node: number, reason: string | null): void;
  /** Called when room frees or a node opens (a pending pod may now fit). */
  readonly listeners: Array<() => void>;
  /** kube-scheduler's search for a node, continued from the starting placement (cluster/nodes-to-score.ts). */
  readonly search: NodeSearch;
}
