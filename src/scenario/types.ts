// The normalised, typed scenario every later stage consumes. Units are SI throughout: seconds, bytes,
// CPU cores (vCPU), bytes of memory, requests per second, US dollars per hour. The loader turns the
// human-friendly file (`250m`, `128Mi`, `2ms`, `300/s`) into this shape and fills every default, so no
// stage below it ever parses a unit or guesses a default.

import type { Autoscaling } from './autoscaling-types.ts';
import type { ClientCpu } from './client-cpu.ts';
import type { DaemonSet, KubeletSettings, NetworkSpec, NodePool } from './cluster-types.ts';
import type { Cni, PlatformName } from './cni.ts';
import type { GatewayUpgrade } from './ingress-gateway.ts';
import type { MeshSettings, OutboundTrafficPolicy, SidecarScope } from './mesh-settings.ts';
import type { SchedulerSettings, Scheduling } from './scheduling-types.ts';
import type { TrafficDistribution } from './traffic-distribution.ts';
import type { NamespacePolicies, ServicePolicies, TrafficPolicy } from './traffic-policy.ts';
import type { Wire } from './wire.ts';

export type * from './autoscaling-types.ts';
export type * from './client-cpu.ts';
export type * from './cluster-types.ts';
export type * from './mesh-settings.ts';
export type * from './scheduling-types.ts';
export type * from './wire.ts';

export type Architecture = 'none' | 'sidecar' | 'ambient' | 'as-labelled';
/** How one namespace's pods take part in the mesh once an architecture is applied. */
export type DataplaneMode = 'none' | 'sidecar' | 'ambient';
export type Protocol = 'http1' | 'http2' | 'grpc' | 'tcp';

export interface Resources {
  /** CPU in cores. */
  cpu: number;
  /** Memory in bytes. */
  memory: number;
}

export interface ResourceSpec {
  requests: Resources;
  /** undefined = no limit. */
  limits?: Partial<Resources>;
}

/** A distribution as written in the scenario, already in SI units; sim/ builds the sampler. */
export type DistributionSpec =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'lognormal-mean-p99'; mean: number; p99: number }
  | { kind: 'lognormal-median-p99'; median: number; p99: number }
  | { kind: 'pareto'; alpha: number; min: number; max: number }
  | { kind: 'empirical'; table: Array<[percentile: number, value: number]> };

export interface Waypoint {
  name: string;
  namespace: string;
  /** istio.io/waypoint-for: which traffic it serves. */
  for: 'service' | 'workload' | 'all';
  replicas: number;
  resources: ResourceSpec;
  workers?: number;
  /** A HorizontalPodAutoscaler on the waypoint Deployment (`replicas` is then its starting point). */
  autoscaling?: Autoscaling;
}

export interface Namespace extends NamespacePolicies {
  name: string;
  labels: Record<string, string>;
  /** Derived from labels: istio-injection=enabled -> sidecar, istio.io/dataplane-mode=ambient -> ambient. */
  mode: DataplaneMode;
  /** istio.io/use-waypoint on the namespace, if any. */
  useWaypoint?: string;
}

export interface ConnectionSpec {
  /**
   * keepalive: each client pod keeps a pool of up to `poolSize` connections per destination and reuses them;
   * per-request: a new TCP connection for every request; long-lived: streams that last `lifetime` and carry
   * many requests (gRPC streams, websockets, database connections).
   */
  type: 'keepalive' | 'per-request' | 'long-lived';
  poolSize: number;
  /** Only for long-lived: how long a stream stays open before the client closes and reopens it. */
  lifetime?: DistributionSpec;
}

export interface Call extends Wire {
  /** Target service name (`name` or `name.namespace`, resolved by the loader to the service's key). */
  to: string;
  /** Expected number of calls per request: integer part always made, fractional part with that probability. */
  count: number;
  mode: 'sequential' | 'parallel';
}

export interface Service extends ServicePolicies {
  /** Unique key `namespace/name`. */
  key: string;
  name: string;
  namespace: string;
  replicas: number;
  resources: ResourceSpec;
  /** Requests one pod serves at once (application worker pool). */
  concurrency: number;
  serviceTime: DistributionSpec;
  /** Part of serviceTime that is CPU work (stretched when the node's cores are contended); the rest is
   * waiting (I/O, sleeps) that no contention stretches. */
  cpuFraction: number;
  calls: Call[];
  /** istio.io/use-waypoint on the service (overrides the namespace's). */
  useWaypoint?: string;
  /** Pods of this service that still carry a sidecar in an ambient namespace (mid-migration), 0..replicas. */
  sidecarPods: number;
  /** false = sidecar.istio.io/inject: "false" (never injected). */
  inject: boolean;
  /** Its pods' istio-proxy resources where sidecar.istio.io/proxyCPU etc. set them (else the mesh's). */
  sidecarResources?: ResourceSpec;
  /** Its sidecars' Envoy workers where its pods' proxy.istio.io/config sets concurrency. */
  sidecarWorkers?: number;
  /** Sidecar resource scoping for this workload's sidecars (SidecarScope: mesh, callees or egress hosts). */
  sidecarScope: SidecarScope;
  /**
   * Its Sidecar resource's outboundTrafficPolicy mode, when set: what its sidecars do with a call to a
   * service they are not given (scenario/passthrough.ts); absent, mesh.outboundTrafficPolicy decides.
   */
  outboundTrafficPolicy?: OutboundTrafficPolicy;
  /** A PodDisruptionBudget over its pods: evictions (a node drain) wait while it allows none. */
  disruptionBudget?: { minAvailable?: IntOrPercent; maxUnavailable?: IntOrPercent };
  /**
   * The networking.istio.io/exportTo annotation's entries, when it has one: the namespaces whose proxies see
   * this service (`*` every one, `.` its own, `~` none); absent, mesh.defaultServiceExportTo decides.
   */
  exportTo?: string[];
  /** nodeSelector and tolerations of its pods. */
  scheduling?: Scheduling;
  /**
   * Service spec.trafficDistribution: PreferClose (or PreferSameZone, Kubernetes 1.34+) keeps callers in
   * their zone when it has endpoints, PreferSameNode (1.34+) on their node, else in their zone.
   */
  trafficDistribution?: TrafficDistribution;
  /**
   * Service spec.internalTrafficPolicy: `Local` sends a call only to ready pods on the node of whoever
   * balances it (the caller, or the waypoint or gateway that balances per request), and fails it when
   * that node has none. Unset: `Cluster`.
   */
  internalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * A headless Service (clusterIP: None): a caller resolves its ready pods in DNS and its application
   * connects to one of them, in every architecture (src/mesh/route.ts headlessTemplate).
   */
  headless?: boolean;
  /** A HorizontalPodAutoscaler on the Deployment (`replicas` is then its starting point). */
  autoscaling?: Autoscaling;
  /**
   * Versions behind the name (Deployments sharing the Service selector, told apart by a `version` label):
   * pods are the service's, ordinals in list order (`replicas` is their sum).
   */
  versions?: ServiceVersion[];
  /** Request types drawn per request in place of `serviceTime` and `calls`. */
  routes?: RequestRoute[];
}

export interface ServiceVersion {
  name: string;
  replicas: number;
  resources: ResourceSpec;
  serviceTime: DistributionSpec;
  calls: Call[];
  /**
   * Relative VirtualService route weight; undefined when the scenario gives none (then every endpoint is
   * the service's and traffic splits by endpoints in every architecture).
   */
  weight?: number;
  /**
   * Its subset's cluster's traffic policy, when the version sets one: merged over the service's own
   * (normalise/subset-policy.ts). Absent: the service's applies to the subset.
   */
  trafficPolicy?: TrafficPolicy;
}

/** One request type (a shop's home, product, cart, checkout): how often it is drawn and what it does. */
export interface RequestRoute {
  name: string;
  /** Relative frequency among the routes of its owner. */
  weight: number;
  serviceTime: DistributionSpec;
  calls: Call[];
}

export interface EntryPoint extends Wire {
  name: string;
  /** Target service key. */
  to: string;
  /** Requests per second (for ramp: the rate at the start). */
  rate: number;
  arrival: { kind: 'poisson' } | { kind: 'constant' } | { kind: 'ramp'; from: number; to: number };
  /** Closed-loop clients instead of open-loop arrivals (then `rate` is the cap, 0 without one). */
  closedLoop?: ClosedLoop;
  /** `ingress`: requests enter through the ingress gateway (mesh.ingressGateway), as external traffic. */
  via: 'direct' | 'ingress';
  /**
   * With `via: ingress`: the clients' connections to the gateway are TLS, terminated there (an HTTPS
   * listener), so each new client connection costs the gateway a handshake. Absent: plain.
   */
  tls?: true;
  /** Number of client pods (load generators outside the mesh, spread over zones). */
  clients: number;
  /**
   * Client pods run in this mode: as given, else as their `clientPod.namespace` is labelled, else none
   * (traffic enters from outside the mesh).
   */
  clientMode: DataplaneMode | 'same-as-target';
  /**
   * The load-generator pods: their container's resources (default none requested), the namespace they
   * run in (default `loadgen`, unlabelled) and placement.
   */
  clientPod?: { resources?: ResourceSpec; namespace?: string } & Scheduling;
  /** Core-seconds the load generator spends per request it sends and per connection it opens. */
  clientCpu: ClientCpu;
  /** Request types the clients send: each draws its own service time and calls at the target service. */
  routes?: RequestRoute[];
  /** Latency objectives checked by the planner. */
  slo?: { p99?: number; p999?: number; p50?: number };
}

/**
 * Closed-loop load generator: `connections` concurrent connections (fortio -c, wrk2 -c, oha -c, Locust
 * users), each sending its next request when the previous one returned, after `thinkTime` when given,
 * and no faster than its share of `rateCap` (fortio -qps, wrk2 -R, oha -q) when given.
 */
export interface ClosedLoop {
  connections: number;
  thinkTime?: DistributionSpec;
  /** Requests per second over all connections; absent = as fast as answers come back. */
  rateCap?: number;
}

/**
 * Run length by precision: replicate until every entry point's p99 and every headline latency delta
 * has a 95 % half-width within max(relative x |estimate|, absolute), or `maxReplications` is reached.
 */
export interface PrecisionSettings {
  relative: number;
  /** Seconds. */
  absolute: number;
  maxReplications: number;
}

export interface SimulationSettings {
  duration: number;
  /** Seconds; with `warmupAuto`, the initial guess only (MSER-5 chooses the one measured after). */
  warmup: number;
  /** `warmup: auto`: MSER-5 on a pilot replication's per-second series chooses the warm-up. */
  warmupAuto?: boolean;
  precision?: PrecisionSettings;
  seed: number;
  replications: number;
  /** Width of the time-series bins, seconds. */
  timeStep: number;
  /**
   * Seconds a thread keeps a free core it found before peers may share it (simulate/world/cpu-slice.ts);
   * default: the Linux fair scheduler's slice for each node's vCPUs; 0: pure processor sharing.
   */
  cpuSlice?: number;
}

export interface Scenario {
  apiVersion: 'meshsim/v1alpha1';
  kind: 'Scenario';
  metadata: { name: string; description: string };
  cluster: {
    nodePools: NodePool[];
    network: NetworkSpec;
    /** Kubernetes minor version ("1.29".."1.34"): node-failure detection defaults follow it. */
    kubernetesVersion: string;
    /** The cluster's DNS domain when the scenario gives one (absent: cluster.local, scenario/visibility.ts). */
    domain?: string;
    /** The CNI, platform and CNI settings, when the scenario says them (read by the checks only). */
    cni?: { name: Cni; platform?: PlatformName; settings: Record<string, string> };
    scheduler?: SchedulerSettings;
    /** The kubelet's CFS quota settings when the scenario gives them (else DEFAULT_KUBELET). */
    kubelet?: KubeletSettings;
    /** The platform's own DaemonSets, when the scenario has any. */
    daemonSets?: DaemonSet[];
  };
  namespaces: Namespace[];
  waypoints: Waypoint[];
  services: Service[];
  traffic: EntryPoint[];
  mesh: MeshSettings;
  compare: Architecture[];
  simulation: SimulationSettings;
  /** Pod lifecycle used by rollouts, migrations and faults. */
  lifecycle: Lifecycle;
  /** Disruption events, in time order. */
  events: ScenarioEvent[];
  /** Prices and cost overrides. */
  cost: { crossZonePerGiB: number; perProxyFeePerHour: number; discount: number };
}

export interface Lifecycle {
  /**
   * Time from pod creation to ready (image pull, start, readiness probe) of its application containers; a
   * sidecar's start comes on top (sidecarStartup).
   */
  podStartup: DistributionSpec;
  /** terminationGracePeriodSeconds (Kubernetes default 30 s). */
  terminationGrace: number;
  /** Envoy terminationDrainDuration (Istio default 5 s): the sidecar drains this long after SIGTERM. */
  sidecarDrain: number;
  /** ztunnel drains this long before force-closing connections (grace - 5 s = 25 s by default). */
  ztunnelDrain: number;
  /** Client reconnect backoff after a reset. */
  reconnectBackoff: DistributionSpec;
  /** Application containers' preStop sleep: they keep serving this long after termination starts. */
  preStop: number;
  /**
   * Seconds from a proxy container's restart (after an OOM kill) to its being ready again; absent:
   * DEFAULT_PROXY_RESTART.
   */
  proxyRestart?: number;
  /**
   * Seconds a pod's sidecar takes to start and pass its readiness probe before its configuration is
   * applied (which adds the Envoy's full-push CPU for what it holds); absent: DEFAULT_SIDECAR_STARTUP.
   * From Istio 1.27 the sidecar is a native sidecar and the application starts after it (podStartup is
   * then added), before that both start together (the later of the two).
   */
  sidecarStartup?: number;
  /**
   * How long after a pod starts terminating each data plane stops sending it new connections: the
   * endpoint change reaching kube-proxy (no mesh), Envoy via xDS (sidecars, waypoints), ztunnel via xDS.
   */
  endpointPropagation: { kubeProxy: number; envoy: number; ztunnel: number };
}

/** Kubernetes IntOrString: `1` or `25%`, resolved against each Deployment's replicas by the events layer. */
export type IntOrPercent = { value: number; percent: boolean };

export interface RolloutSettings {
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  /**
   * Deployments restarting at once: `all` is what `kubectl rollout restart deployment -n NS` does; a
   * number is an operator restarting them a few at a time.
   */
  parallelDeployments: number | 'all';
}

export type ScenarioEvent =
  | {
      kind: 'upgrade';
      at: number;
      target: 'dataplane';
      /** rolling: as Istio does it; cordon-drain: drain each node before its ztunnel restarts; blue-green:
       * a new node pool, pods moved, old pool removed. */
      strategy: 'rolling' | 'cordon-drain' | 'blue-green';
      rollout: RolloutSettings;
      /** ztunnel DaemonSet update (maxSurge 1, maxUnavailable 0 by default). */
      daemonSet: { maxSurge: IntOrPercent; maxUnavailable: IntOrPercent };
      /** The version the data plane moves to; absent: the control plane's version at that time. */
      to?: string;
    }
  | { kind: 'upgrade'; at: number; target: 'waypoint'; waypoint?: string; rollout: RolloutSettings }
  | GatewayUpgrade
  | {
      kind: 'upgrade';
      at: number;
      target: 'control-plane';
      /** The istiod version installed in place (default: the minor after mesh.version). */
      to: string;
      /** How the waypoint Deployments istiod re-renders roll. */
      rollout: RolloutSettings;
    }
  | { kind: 'migrate'; at: number; namespaces: string[]; sequential: boolean; rollout: RolloutSettings }
  | { kind: 'scale'; at: number; target: string; replicas: number }
  | {
      kind: 'fault';
      at: number;
      target: 'sidecar' | 'ztunnel' | 'waypoint' | 'gateway' | 'node';
      /**
       * Service key for a sidecar fault, node index for ztunnel/node, waypoint name for waypoint, the
       * ingress gateway Deployment's `namespace/name` for gateway.
       */
      selector: string;
      recovery: number;
      /** Node faults: the node controller marks the node NotReady after this (node-monitor-grace-period). */
      notReadyAfter: number;
      /** Node faults: its pods are evicted this long after NotReady (tolerationSeconds). */
      evictAfter: number;
    };
