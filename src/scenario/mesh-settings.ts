// The mesh section of a normalised scenario: per-proxy costs, idle overrides, and the mesh's settings.
import type { MeshEntry } from './ingress-gateway.ts';
import type { MtlsMode } from './traffic-policy.ts';
import type { Autoscaling, DistributionSpec, ResourceSpec } from './types.ts';

/** Per-request cost of one proxy class, calibrated in src/mesh/calibration.ts; overridable here. */
export interface ProxyCost {
  /** CPU seconds per request, fixed part. */
  cpuPerRequest: number;
  /** CPU seconds per KiB of request+response body. */
  cpuPerKiB: number;
  /** CPU seconds for terminating a new TLS connection (mTLS handshake). */
  cpuPerHandshake: number;
  /** CPU seconds per new captured/accepted connection (stream setup, without TLS). */
  cpuPerConnection: number;
  /** CPU seconds per second for each connection held open (keep-alive housekeeping). */
  cpuPerOpenConnection: number;
  /** Fraction of the per-request and per-KiB CPU spent before the request moves on (the rest, stats and
   * access logs, keeps the worker busy off the request's path). Connection and handshake CPU is all on it. */
  cpuOnPath: number;
  /** Non-CPU time a hop adds (kernel, loopback or iptables redirect, network stack), a distribution in
   * seconds: a hop's latency is its on-path CPU, stretched by the node's contention, plus this. */
  criticalPath: DistributionSpec;
  /** Extra non-CPU time per KiB. */
  criticalPathPerKiB: number;
  /** Non-CPU time of a TLS handshake besides its round trips (its crypto is cpuPerHandshake, on the path). */
  handshakeLatency: number;
  /** Memory in bytes. */
  memoryBase: number;
  memoryPerCluster: number;
  memoryPerEndpoint: number;
  memoryPerWorkload: number;
  memoryPerService: number;
  memoryPerConnection: number;
  /**
   * Bytes per outbound listener a sidecar holds for one pod of a headless Service called over TCP (istiod
   * builds one per pod: config-size.ts). Unset: memoryPerCluster (ASSUMPTION: no published figure; a
   * listener holds a filter chain, a TCP proxy and its own stats, taken as heavy as a cluster).
   */
  memoryPerListener?: number;
}

/** Overrides of the idle CPU and memory coefficients of the data plane (src/mesh/idle.ts, where each
 * default is cited): cores, core-seconds per push or update, bytes. */
export interface IdleOverrides {
  envoyBaseCpu?: number;
  envoyCpuPerCluster?: number;
  envoyPushCpu?: number;
  envoyPushCpuPerCluster?: number;
  envoyPushCpuPerEndpoint?: number;
  ztunnelBaseCpu?: number;
  ztunnelCpuPerUpdate?: number;
  ztunnelMemoryPerLocalWorkload?: number;
}

export interface MeshSettings extends MeshEntry {
  /** Istio minor version ("1.22".."1.28"): selects the version-dependent defaults (docs/scenario-format.md). */
  version: string;
  /**
   * meshConfig.h2UpgradePolicy UPGRADE, when set: Envoys send HTTP/1.1 calls upstream as HTTP/2 unless a
   * DestinationRule says otherwise (world/edges.ts poolProtocol). Absent: DO_NOT_UPGRADE, Istio's default.
   */
  h2UpgradePolicy?: 'UPGRADE';
  /**
   * meshConfig.defaultServiceExportTo, when set and not `*`: where a Service without the
   * networking.istio.io/exportTo annotation is visible (scenario/visibility.ts). Absent: every namespace.
   */
  defaultServiceExportTo?: string[];
  /**
   * mtls.mode of a PeerAuthentication without a selector in the root namespace (istio-system), when set:
   * the mesh-wide default below namespaces and workloads (scenario/peer-authentication.ts). Absent:
   * PERMISSIVE, Istio's default.
   */
  mtls?: MtlsMode;
  /**
   * meshConfig.outboundTrafficPolicy.mode, when set to REGISTRY_ONLY: sidecars refuse calls to services
   * they are not given instead of passing them through (scenario/passthrough.ts). Absent: ALLOW_ANY.
   */
  outboundTrafficPolicy?: 'REGISTRY_ONLY';
  /** `workers` is ProxyConfig concurrency when set; unset, each proxy derives it (src/mesh/workers.ts). */
  sidecar: { resources: ResourceSpec; workers?: number; scope: SidecarScope; cost: ProxyCost };
  ztunnel: { resources: ResourceSpec; workers?: number; cost: ProxyCost; hbonePoolStreams: number };
  waypoint: { cost: ProxyCost; defaults: { replicas: number; resources: ResourceSpec; workers?: number } };
  istioCni: {
    resources: ResourceSpec;
    enabledInSidecarMode: boolean;
    /** What each node agent uses: cores and bytes, a base plus a term per pod on its node. */
    usage: { cpuBase: number; cpuPerPod: number; memoryBase: number; memoryPerPod: number };
  };
  idle: IdleOverrides;
  istiod: {
    replicas: number;
    resources: ResourceSpec;
    /** The chart's HorizontalPodAutoscaler on istiod's modelled CPU; null when disabled. */
    autoscaling: Autoscaling | null;
    /** istiod memory model coefficients (bytes) and CPU per pushed proxy (seconds). */
    memoryBase: number;
    memoryPerService: number;
    memoryPerPod: number;
    memoryPerConfig: number;
    memoryPerProxy: number;
    memoryMin: number;
    cpuPerPush: number;
    /** Config changes per second in steady state (endpoint churn), each pushed to every affected proxy. */
    configChangesPerSecond: number;
    /**
     * Changes per second to routing and policy objects (VirtualService, DestinationRule, HTTPRoute, an
     * L7 AuthorizationPolicy), each a full push to the sidecars that see its service, every waypoint and
     * gateway, and no ztunnel (mesh/churn-share.ts).
     */
    configObjectChangesPerSecond: number;
    /** PILOT_DEBOUNCE_AFTER and PILOT_DEBOUNCE_MAX (seconds): how istiod merges the run's endpoint events. */
    debounceAfter: number;
    debounceMax: number;
  };
}

/**
 * What a sidecar's configuration holds: `mesh`, every service exported to its namespace (Istio's default
 * SidecarScope); `callees`, a Sidecar resource listing the workload's own calls; or a Sidecar resource's
 * egress hosts (`namespace/dnsName`, as written there). scenario/visibility.ts resolves them.
 */
export type SidecarScope = 'mesh' | 'callees' | string[];

/** An outboundTrafficPolicy mode: ALLOW_ANY sends unknown destinations through the PassthroughCluster. */
export type OutboundTrafficPolicy = 'ALLOW_ANY' | 'REGISTRY_ONLY';
