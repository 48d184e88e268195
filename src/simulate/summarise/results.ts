// The versioned results of `meshsim run`: everything a report, a chart or the planner reads. Units are
// in the field names or comments: cores, bytes, seconds, per second.
import type { Component, MemoryRisk } from '../../cluster/index.ts';
import type { DisruptionRecord } from '../../events/index.ts';
import type { Architecture } from '../../scenario/index.ts';
import type { AutoscaleResult } from './autoscaling.ts';
import type { CrashLoop, OomKillResult } from './memory-kills.ts';

export const RESULTS_SCHEMA = 'meshsim/results/v1';

/**
 * A mean over replications with its 95 % confidence interval (half = 0 with one replication). Latency
 * quantiles: Student t, half at least half the histogram bucket width at the estimate (the resolution
 * of a quantile); NaN (null in JSON) when nothing completed. Counts (failed, offered): the union of the
 * t and Poisson intervals, clipped at 0; rates (throughput, bytes per second): t clipped at 0, so lo
 * may be above mean - half.
 */
export interface Estimate {
  mean: number;
  half: number;
  lo: number;
  hi: number;
}

export interface LatencySummary {
  mean: Estimate;
  p50: Estimate;
  p90: Estimate;
  p99: Estimate;
  p999: Estimate;
  /** Distribution over all replications: [seconds, cumulative fraction]. */
  cdf: Array<[number, number]>;
}

export interface ComponentUsage {
  component: Component;
  instances: number;
  /** Cores: used is the mean over the measured window; p95 over its time bins. */
  cpu: { used: Estimate; p95: Estimate; requested: number };
  /** Bytes. */
  memory: { used: Estimate; requested: number };
  /**
   * Cores of per-request work that arrived at its containers (wanted: the CPU asked of the node
   * processors, however long they took) and what it got; what its own CPU limits refused (throttled) and
   * what other containers took (starved), in cores of runnable threads held back.
   * Means over the window and replications; background CPU is not in them.
   */
  cpuShare?: { wanted: number; got: number; throttled: number; starved: number };
}

export interface EntryResult {
  name: string;
  to: string;
  offered: Estimate;
  completed: Estimate;
  failed: Estimate;
  timedOut: Estimate;
  inFlight: Estimate;
  /** Requests whose callee's waypoint their path bypassed (see EdgeResult.waypointBypassed). */
  waypointBypassed: Estimate;
  /** Completed requests per second. */
  throughput: Estimate;
  /**
   * Cores its load-generator pods' containers spent producing requests (replication/client-cpu.ts):
   * what they asked for (wanted), got (used), what their CPU limit refused (throttled) and what other
   * containers on their nodes took (starved), means over the window and replications; `limit` is the
   * sum of their CPU limits (null: none). Wanted above used is a client that sends late.
   */
  clientCpu: { wanted: number; used: number; throttled: number; starved: number; limit: number | null };
  latency: LatencySummary;
  slo: Array<{ quantile: 'p50' | 'p99' | 'p999'; target: number; value: number; met: boolean }>;
}

export interface EdgeResult {
  name: string;
  /** Calls per second. */
  rate: Estimate;
  failed: Estimate;
  retries: Estimate;
  /** Calls that asked for L7 handling (retries, routing, authz) but crossed no L7 proxy. */
  l7Unhonoured: Estimate;
  /**
   * Calls to a service bound to a waypoint whose path bypassed it (a sidecar or a client outside the mesh
   * calling it, or the ingress gateway without istio.io/ingress-use-waypoint): the L7 policy on the
   * waypoint was not enforced for them.
   */
  waypointBypassed: Estimate;
  /** Endpoints of the callee its callers' Envoys ejected (outlier detection) in the measured window. */
  outlierEjections: Estimate;
  /**
   * Attempts its callers' Envoys refused with their circuit breakers (a DestinationRule's connectionPool:
   * too many requests outstanding, or no pending place for an HTTP/1.1 connection), each a 503 with no
   * retry; present only when the callee sets one.
   */
  circuitBreakerOverflows?: Estimate;
  /**
   * Retries its callers' Envoys did not make because their retry limit (a DestinationRule's
   * connectionPool.http.maxRetries, or its retryBudget) was reached: each of those calls failed with its
   * attempt's failure instead; present only when the callee sets one.
   */
  retryOverflows?: Estimate;
  /**
   * Attempts the retrying Envoy reset at the call's perTryTimeout (each then retried, or a 504 where the
   * retry policy does not retry a reset); present only when the call sets one.
   */
  perTryTimeouts?: Estimate;
  /**
   * Attempts the callee's proxy refused because their TLS did not match its PeerAuthentication, each a
   * reset: plain text (callers outside the mesh, a DestinationRule's tls DISABLE) under STRICT, or mTLS a
   * rule's ISTIO_MUTUAL forces under DISABLE; present only where the callee is STRICT or that rule applies.
   */
  mtlsRefused?: Estimate;
  /**
   * Attempts whose caller's sidecar is not given the callee (its exportTo or the caller's Sidecar egress
   * hosts) and sent them through its PassthroughCluster: plain text, no retries, VirtualService or
   * DestinationRule (scenario/passthrough.ts); present only where that is so for the caller.
   */
  passthrough?: Estimate;
  /** The same attempts refused by the caller's sidecar under REGISTRY_ONLY (a 502, or a closed connection). */
  registryOnlyRefused?: Estimate;
  /** The hop paths its calls took. */
  routes: string[];
  latency: LatencySummary;
}

/**
 * Versions behind services and request mixes, present only when the scenario has either. Counts are of
 * measured calls served (attempts that reached an application pod).
 */
export interface MixesResult {
  /** Calls each version served; `weight` is its VirtualService weight (null: no weighted split). */
  versions: Array<{
    service: string;
    version: string;
    replicas: number;
    weight: number | null;
    served: Estimate;
  }>;
  /**
   * Per service with a weighted split: measured call attempts (a retry counts again) whose path had no
   * Envoy to route them (kube-proxy or ztunnel picked the endpoint, so they split by replicas), in total
   * and by edge.
   */
  splitUnhonoured: Array<{
    service: string;
    calls: Estimate;
    edges: Array<{ edge: string; calls: Estimate }>;
  }>;
  /** Calls per route (`owner` is a service key, or `entry -> service` for an entry point's routes). */
  routes: Array<{ owner: string; route: string; weight: number; served: Estimate; latency?: LatencySummary }>;
}

export interface ProxyResult {
  name: string;
  component: Component;
  node: string;
  /** Busy workers / workers. */
  utilisation: number;
  /** Mean time a request waited for a worker, seconds. */
  meanWait: number;
  /** Longest wait for a worker (the largest over replications), seconds. */
  maxWait: number;
  meanQueue: number;
  requestsPerSecond: number;
  cpu: number;
  memory: number;
  openConnections: number;
  handshakesPerSecond: number;
}

export interface NodeResult {
  name: string;
  pool: string;
  zone: string;
  allocatable: { cpu: number; memory: number };
  requested: { cpu: number; memory: number };
  requestedBy: Partial<Record<Component, { cpu: number; memory: number }>>;
  /** Simulated CPU in use on the node (cores, mean). */
  cpuUsed: number;
  /** Cores of CPU work offered to it (its requests' CPU per second, plus background): above the
   * allocatable cores, work piles up. Mean over the window and replications. */
  cpuDemand?: number;
  /** Busy cores over allocatable cores, mean. */
  cpuUtilisation?: number;
  /** Seconds of the window during which every core was in use, mean over replications. */
  saturatedSeconds?: number;
  pods: number;
}

export interface ArchResult {
  architecture: Architecture;
  placement: {
    nodes: number;
    nodesUsed: number;
    pods: number;
    unschedulable: Array<{ name: string; reason: string }>;
    /** Where requests and modelled use together exceed a node's memory, or a container its limit. */
    memoryAtRisk: MemoryRisk[];
    /**
     * Proxies whose configuration alone exceeds their memory limit, by component: OOM-killed at every
     * start, they never serve (simulate/world/memory.ts).
     */
    crashLoops: CrashLoop[];
    perNode: NodeResult[];
  };
  /**
   * Proxies whose connections pushed their memory past their limit during the window, by component:
   * containers killed and kills, means over replications (simulate/replication/oom-kills.ts).
   */
  oomKills: OomKillResult[];
  /**
   * Pods the kubelets evicted under memory pressure within the window, and the nodes they were evicted
   * from, means over replications (events/node-pressure.ts).
   */
  evictions: { pods: number; nodes: number };
  components: ComponentUsage[];
  totals: { cpuUsed: Estimate; cpuRequested: number; memoryUsed: Estimate; memoryRequested: number };
  entryPoints: EntryResult[];
  edges: EdgeResult[];
  busiestProxies: ProxyResult[];
  /**
   * The busiest instance of each proxy class (mean over replications): a DaemonSet's requests are one
   * setting for every node, so sizing ztunnel means sizing it for its busiest node.
   */
  proxyMax: Partial<Record<Component, { cpu: number; memory: number; node: string }>>;
  connections: Partial<
    Record<Component, { handshakesPerSecond: number; newConnectionsPerSecond: number; open: number }>
  >;
  network: { crossZoneBytesPerSecond: Estimate; bytesPerSecond: Estimate };
  controlPlane: { proxies: number; pushesPerSecond: number; cpu: number; memory: number };
  timeseries: {
    step: number;
    t: number[];
    requests: number[];
    errors: number[];
    p99: Array<number | null>;
    cpu: Partial<Record<Component, number[]>>;
    /** Ready application pods, caller connections open (sampled at each bin's start). */
    ready: number[];
    connectionsOpen: number[];
    /** Connections reset and requests retried, per second. */
    resets: number[];
    retries: number[];
    /** spec.replicas of each autoscaled workload (by owner), sampled at each bin's start. */
    replicas: Record<string, number[]>;
  };
  /** Versions and request mixes (absent when the scenario has neither). */
  mixes?: MixesResult;
  /** What each HorizontalPodAutoscaler did, averaged over replications. */
  autoscaling: AutoscaleResult[];
  /** What each scenario event did, averaged over replications, with intervals. */
  disruption: { events: DisruptionSummary[] };
  warnings: string[];
  /** Kernel events executed, summed over replications. */
  events: number;
}

/**
 * `to` minus `from`, compared replication by replication (common random numbers). NaN (null in JSON)
 * when either side measured nothing.
 */
export interface Delta {
  metric: string;
  from: Architecture;
  to: Architecture;
  base: number;
  value: number;
  /** Mean of the per-replication differences. */
  change: number;
  /** Percent change; null when the base is 0. */
  percent: number | null;
  /**
   * Paired-t 95 % interval of `change`; for latency quantiles at least the two histogram buckets'
   * half-widths wide; null with one replication. Exact ([change, change]) when every replication gives
   * the same values (requests, nodes).
   */
  ci: [number, number] | null;
  /** The interval excludes zero: the difference is not noise. */
  significant: boolean;
}

/** The figures of a disruption record that carry an interval over replications (surge* and
 * pendingSeconds are the record's `surge` fields). */
export type DisruptionFigure =
  | 'podsRestarted'
  | 'daemonSetPodsReplaced'
  | 'podsPreempted'
  | 'connectionsReset'
  | 'connectionsDrained'
  | 'pooledConnectionsReset'
  | 'requestsFailed'
  | 'requestsRetried'
  | 'rolloutDuration'
  | 'settledAfter'
  | 'surgeCpu'
  | 'surgeMemory'
  | 'pendingSeconds'
  | 'extraNodeHours'
  | 'p99Window'
  | 'p99Before';

/**
 * A disruption record averaged over replications, with each figure's 95 % interval over them (the
 * rules of summarise/disruption.ts); a figure is missing when some replication had no value for it.
 */
export interface DisruptionSummary extends DisruptionRecord {
  intervals: Partial<Record<DisruptionFigure, Estimate>>;
}

/** A paired difference of one disruption figure (`metric`) of event number `event` (0-based). */
export interface DisruptionDelta extends Delta {
  event: number;
  label: string;
}

export interface Results {
  schema: typeof RESULTS_SCHEMA;
  meshsimVersion: string;
  scenario: {
    name: string;
    description: string;
    file: string;
    hash: string;
    seed: number;
    /** Replications run (more than the scenario's when precision asked for them). */
    replications: number;
    duration: number;
    /** Seconds measured after; chosen by MSER-5 when `warmupMethod` says so. */
    warmup: number;
    warmupMethod?: 'fixed' | 'mser-5';
    /** `simulation.precision` and whether every checked quantity met it (else the maximum was reached). */
    precision?: { relative: number; absolute: number; maxReplications: number; met: boolean } | null;
  };
  assumptions: string[];
  architectures: ArchResult[];
  deltas: Delta[];
  /** Paired differences of the disruption figures, per event (none when the scenario has no events). */
  disruptionDeltas?: DisruptionDelta[];
  /** The operational cautions of `meshsim check` for this scenario, when `run` looked for them. */
  findings?: CheckFinding[];
}

/** One finding of `meshsim check` (src/check), as results carry it: plain data, no behaviour. */
export interface CheckFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  object: { kind: string; name: string; namespace?: string; file?: string; line?: number };
  message: string;
  action: string;
  reference: string;
}
