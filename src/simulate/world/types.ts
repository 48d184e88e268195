// The static tables a run needs, built once from the scenario and a placement: pods, proxies, call edges
// and their connection slots. Typed arrays, so the hot path reads numbers, not objects.
import type { Distribution, Rng } from '../../../sim/index.ts';
import type { Placement } from '../../cluster/index.ts';
import type { HopStep, ProtocolClass, ProxyClass, RouteTemplate } from '../../mesh/index.ts';

export type { HopStep, RouteTemplate };

import type { MtlsMode, Scenario, TrafficPolicy } from '../../scenario/index.ts';

export const ConnType = { KeepAlive: 0, PerRequest: 1, LongLived: 2 } as const;

/** Edge.envoyTls values. */
export const ENVOY_MTLS = 0;
export const ENVOY_PLAIN = 1;
export const ENVOY_MTLS_REFUSED = 2;

/** One directed call relation: an entry point's clients -> a service, or a service -> a callee. */
export interface Edge {
  id: number;
  name: string;
  /** Caller service index, or -1 for an entry point. */
  from: number;
  /** Entry point index, or -1. */
  entry: number;
  to: number;
  count: number;
  parallel: boolean;
  /** What the application speaks (its own connections to its proxies). */
  proto: ProtocolClass;
  /** What Envoy's upstream pools speak for it: `proto`, or HTTP/2 where an h2UpgradePolicy upgrades it. */
  poolProto: ProtocolClass;
  requestBytes: number;
  responseBytes: number;
  kib: number;
  l7: boolean;
  timeout: number;
  /** Each attempt's timeout where an Envoy retries the call (Infinity: none). */
  perTryTimeout: number;
  retries: number;
  /** Envoy's retry back-off base interval (its maximum is 10 times it). */
  retryBackoff: number;
  /** The failures its retry policy retries (mesh RetryBit flags). */
  retryOn: number;
  grpc: boolean;
  connType: number;
  poolSize: number;
  lifetime: Distribution | null;
  /** First connection slot of this edge; a caller pod's slots follow at ordinal x poolSize. */
  slotBase: number;
  /** Waypoint pods serving the callee under this architecture (empty: none). */
  waypointPods: Int32Array;
  waypointName: string | null;
  /** Owner key `ns/name` of that waypoint Deployment. */
  waypointOwner: string | null;
  /**
   * The callee's service is bound to a waypoint its path never takes: an entry through the ingress gateway
   * that does not opt in (istio.io/ingress-use-waypoint, mesh/route.ts ingressUsesWaypoint), or a call to
   * a headless Service, addressed to a pod, whose waypoint is for services only. Where the callee is
   * captured by ztunnel, the waypoint is bypassed.
   */
  waypointSkipped: boolean;
  /** A call (not through the ingress gateway) to a headless Service: its application picks the pod. */
  headless: boolean;
  /** An entry whose clients talk TLS to the ingress gateway (EntryPoint.tls): a handshake per new connection. */
  clientTls: boolean;
  /** Ingress gateway pods an entry point's requests enter through (empty: they go straight in). */
  gatewayPods: Int32Array;
  /** Owner key of the gateway Deployment, null for a direct edge. */
  gatewayOwner: string | null;
  /**
   * What a sidecar caller does with it (scenario/passthrough.ts): 0 its mesh route, 1 the PassthroughCluster
   * (its Sidecar is not given the callee), 2 refused under REGISTRY_ONLY. Other callers ignore it.
   */
  passthrough: number;
  /**
   * What Envoys send the callee's sidecar (edges.ts envoyTls): ENVOY_MTLS, ENVOY_PLAIN (a DestinationRule's
   * tls DISABLE, or a DISABLE PeerAuthentication auto mTLS follows), ENVOY_MTLS_REFUSED (a rule's
   * ISTIO_MUTUAL toward a DISABLE PeerAuthentication).
   */
  envoyTls: number;
}

export interface ServiceRt {
  key: string;
  /** Pods that run (placed), by ordinal. */
  pods: Int32Array;
  serviceTime: Distribution;
  /** Part of the service time that is CPU work on the node's cores; the rest is waiting. */
  cpuFraction: number;
  concurrency: number;
  /**
   * Its DestinationRule's traffic policy (outlier detection, locality, circuit breakers), the rule istiod
   * picks (scenario/destination-rule.ts destinationPolicy): its own, else, without subsets, the mesh-wide
   * one, replaced whole, not merged, as Istio does; null: neither.
   */
  trafficPolicy: TrafficPolicy | null;
  /**
   * Per subset of a weighted split (in version order), its cluster's policy, where some version sets its
   * own (the others: trafficPolicy); null otherwise.
   */
  subsetPolicies: (TrafficPolicy | null)[] | null;
  /** The mode its PeerAuthentications compose to (scenario/peer-authentication.ts). */
  mtls: MtlsMode;
  /** Outgoing edge ids, in the order the scenario lists the calls. */
  edges: number[];
  /** The same edges as objects, for the hot path. */
  edgeList: Edge[];
}

/** What a pod does for one request: its service time and the calls it makes (mixes.ts). */
export interface Behaviour {
  /** `svc`, `svc (version)`, `svc [route]` or `svc [entry/route]`. */
  name: string;
  service: number;
  serviceTime: Distribution;
  edgeList: Edge[];
}

/** Routes drawn per request: their behaviours and cumulative weights (the last is 1). */
export interface Mix {
  behaviours: Int32Array;
  cum: Float64Array;
}

export interface VersionRt {
  service: number;
  name: string;
  behaviour: number;
}

/** Versions behind services and request mixes (mixes.ts). Behaviour i < services.length: service i's own. */
export interface MixTables {
  behaviours: Behaviour[];
  versions: VersionRt[];
  /** Version (index into versions) of each application pod of a service with versions, else -1. */
  podVersion: Int32Array;
  /** Per service, a VirtualService weighted split over its versions (null: none). */
  versionSplit: ({ first: number; cum: Float64Array } | null)[];
  serviceRoutes: (Mix | null)[];
  entryRoutes: (Mix | null)[];
}

/** Pods and the proxies they run (proxies.ts). */
export interface PodTables {
  nPods: number;
  podNode: Int32Array;
  podKind: Uint8Array;
  podService: Int32Array;
  podOrdinal: Int32Array;
  /** The proxy inside each pod (a sidecar, or the waypoint a waypoint pod is), -1 if none. */
  podProxy: Int32Array;
  nProxies: number;
  proxyClass: Uint8Array;
  proxyPod: Int32Array;
  proxyNode: Int32Array;
  proxyName: string[];
  ztunnelOfNode: Int32Array;
}

/** Services and the call edges between them (edges.ts). */
export interface EdgeTables {
  services: ServiceRt[];
  serviceIndex: Map<string, number>;
  edges: Edge[];
  /** Entry edges by entry point index, and their client pods. */
  entryEdges: number[];
  entryClients: Int32Array[];
  nSlots: number;
}

/** Proxy memory (memory.ts): what each needs before its first connection, and its container's limit. */
export interface MemoryTables {
  /** Bytes: its base and configuration (proxyMemory with no connection). */
  proxyConfigMemory: Float64Array;
  /** Bytes at its start: that, and for a ztunnel its node's captured pods at the start. */
  proxyStartMemory: Float64Array;
  /** Its container's memory limit in bytes (Infinity: none). */
  proxyMemoryLimit: Float64Array;
  /** 1 where its configuration alone exceeds its limit: OOM-killed at every start, it never serves. */
  proxyCrashLoop: Uint8Array;
  /** Open connections above which its memory exceeds its limit (Infinity: no limit). */
  proxyOpenLimit: Float64Array;
  /** Bytes a ztunnel holds for each captured pod on its own node (mesh/idle.ts ztunnelMemoryPerLocalWorkload). */
  ztunnelMemoryPerLocal: number;
}

/** The node processors' side (node-cpu.ts): containers are proxies (0..P-1), then pods (P + pod). */
export interface CpuTables {
  /** cpu.shares-derived weight and CFS quota (cores, Infinity for none) of each container. */
  containerWeight: Float64Array;
  containerLimit: Float64Array;
  /** The kubelet's CFS period (seconds): a limit below a container's threads is a quota per period. */
  quotaPeriod: number;
  /** Where each node's CFS periods start (seconds; an assumption, world/node-cpu.ts). */
  nodeQuotaOrigin: Float64Array;
  /** Worker threads of each proxy (src/mesh/workers.ts). */
  proxyWorkers: Int32Array;
  /** Background cores of each proxy (idle work, xDS pushes). */
  proxyIdleCpu: Float64Array;
  /** Background cores of each node (its proxies' idle CPU and node agents), and the cores left for jobs. */
  nodeBackground: Float64Array;
  nodeCores: Float64Array;
  /** Each node's scheduler time slice (world/cpu-slice.ts), seconds. */
  nodeSlice: Float64Array;
}

/** The distributions a replication draws from (each replication has its own random streams). */
export interface Draws {
  /** Non-CPU time per request through a proxy, by proxy class. */
  criticalPath: Distribution[];
  /** Time to the next arrival at each entry point, from instant t. */
  interarrival: Array<(t: number, rng: Rng) => number>;
  /** Think time of each entry point's closed-loop connections, null when none. */
  thinkTime: Array<Distribution | null>;
  /** A client's reconnect back-off after a reset. */
  reconnectBackoff: Distribution;
  /** A new pod's start-to-ready time. */
  podStartup: Distribution;
}

export interface World extends PodTables, EdgeTables, CpuTables, MemoryTables, MixTables, Draws {
  scenario: Scenario;
  placement: Placement;
  classes: ProxyClass[];
  templates: RouteTemplate[];
  /** Zone index of each node (zones sorted by name). */
  nodeZone: Int32Array;
  /** Region index of each node (regions sorted by name; one unnamed region when the scenario names none). */
  nodeRegion: Int32Array;
  /** One-way delays: [same node, same zone, cross zone]. */
  delay: Float64Array;
}
