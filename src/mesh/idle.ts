// Background CPU and memory of each data-plane component, beside the per-request work: what a proxy
// burns and holds for the configuration it is sent, the xDS pushes it applies and the connections it
// keeps open. Pure functions of counts; every coefficient is in IdleCoefficients with its source, and a
// scenario may override any of them (pass a partial to withIdleDefaults).

const KiB = 1024;
const MiB = 1024 * KiB;

export interface IdleCoefficients {
  /** Cores an Envoy (sidecar or waypoint) with a tiny configuration burns idle: timers, stats flush, xDS
   * keep-alives. ASSUMPTION 0.004, the low end of the 5-20m idle sidecars are reported to use
   * (istio/istio.io#17045, SOURCES.md section 4). */
  envoyBaseCpu: number;
  /** Extra idle cores per cluster held: per-cluster stats and timers. ASSUMPTION 1e-5, so that 1,000
   * visible services give the 20m top of the reported idle range. */
  envoyCpuPerCluster: number;
  /** Core-seconds to apply one xDS push, fixed part. ASSUMPTION 0.002. */
  envoyPushCpu: number;
  /** Core-seconds per cluster and per endpoint in a push (CDS/EDS rebuild). ASSUMPTION 5e-5 and 5e-6:
   * Istio's benchmarks publish no per-push proxy CPU. */
  envoyPushCpuPerCluster: number;
  envoyPushCpuPerEndpoint: number;
  /** Idle ztunnel cores. ASSUMPTION 0.002 (a Rust process with timers and an xDS stream). */
  ztunnelBaseCpu: number;
  /** ztunnel cores per open connection: 0.04 vCPU per 1000 open connections (Netcracker qubership-istio
   * hardware-sizing-model.md, Istio 1.30; SOURCES.md section 3, M). */
  ztunnelCpuPerConnection: number;
  /** ztunnel core-seconds per workload or service update it applies. ASSUMPTION 2e-5. */
  ztunnelCpuPerUpdate: number;
  /** ztunnel memory: 64 MiB + 8 KiB per pod and 3.5 KiB per service of the cluster (Netcracker model,
   * as above, M). */
  ztunnelMemoryBase: number;
  ztunnelMemoryPerClusterWorkload: number;
  ztunnelMemoryPerClusterService: number;
  /** ztunnel memory per workload on its own node: in-pod mode runs a set of listeners inside each local
   * pod's network namespace and holds that workload's certificate. ASSUMPTION 64 KiB. */
  ztunnelMemoryPerLocalWorkload: number;
  /** Per open connection, apart from its copy buffers: 0.03 MiB measured per open connection (Netcracker
   * model) minus the three 1 KiB buffers it then had (see ztunnelConnectionBuffers). */
  ztunnelMemoryPerConnection: number;
  /** Waypoint (Envoy) memory: base 75 MiB + 0.092 MiB per cluster + 0.018 MiB per endpoint + 0.07 MiB per
   * keep-alive connection (Netcracker model, as above, M). */
  waypointMemoryBase: number;
  waypointMemoryPerCluster: number;
  waypointMemoryPerEndpoint: number;
  waypointMemoryPerConnection: number;
}

export const IDLE_DEFAULTS: Readonly<IdleCoefficients> = Object.freeze({
  envoyBaseCpu: 0.004,
  envoyCpuPerCluster: 1e-5,
  envoyPushCpu: 0.002,
  envoyPushCpuPerCluster: 5e-5,
  envoyPushCpuPerEndpoint: 5e-6,
  ztunnelBaseCpu: 0.002,
  ztunnelCpuPerConnection: 0.04 / 1000,
  ztunnelCpuPerUpdate: 2e-5,
  ztunnelMemoryBase: 64 * MiB,
  ztunnelMemoryPerClusterWorkload: 8 * KiB,
  ztunnelMemoryPerClusterService: 3.5 * KiB,
  ztunnelMemoryPerLocalWorkload: 64 * KiB,
  ztunnelMemoryPerConnection: 0.03 * MiB - 3 * KiB,
  waypointMemoryBase: 75 * MiB,
  waypointMemoryPerCluster: 0.092 * MiB,
  waypointMemoryPerEndpoint: 0.018 * MiB,
  waypointMemoryPerConnection: 0.07 * MiB,
});

export function withIdleDefaults(overrides: Partial<IdleCoefficients> = {}): IdleCoefficients {
  return { ...IDLE_DEFAULTS, ...overrides };
}

/** The configuration an Envoy holds. */
export interface EnvoyConfig {
  clusters: number;
  endpoints: number;
  /** Listeners of its own: a headless Service's per-pod TCP listeners (config-size.ts). */
  listeners?: number;
}

/**
 * Background cores of an Envoy (sidecar or waypoint): idle work growing with the clusters it holds, plus
 * applying `pushesPerSecond` xDS pushes. The churn behind those pushes is endpoint churn (pods coming and
 * going), which istiod sends as incremental EDS for the changed service only (PushRequest.Full = false:
 * "If false, an incremental update will be sent ... Generally, only EDS will set this", istio/istio
 * pilot/pkg/model/push_context.go at 1.28.0): a push rebuilds one cluster and its endpoints (the mean per
 * cluster held), not the whole configuration.
 */
export function envoyIdleCpu(
  config: EnvoyConfig,
  pushesPerSecond: number,
  c = IDLE_DEFAULTS,
  fullPushesPerSecond = 0,
): number {
  const endpointsPerCluster = config.clusters > 0 ? config.endpoints / config.clusters : 0;
  const perPush = c.envoyPushCpu + c.envoyPushCpuPerCluster + c.envoyPushCpuPerEndpoint * endpointsPerCluster;
  return (
    c.envoyBaseCpu +
    c.envoyCpuPerCluster * config.clusters +
    pushesPerSecond * perPush +
    fullPushesPerSecond * envoyFullPushCpu(config, c)
  );
}

/**
 * Core-seconds an Envoy spends applying a full push: its whole configuration, as when it (re)connects.
 * A change of a routing or policy object is one (PushRequest.Full: istiod regenerates and sends every
 * type the proxy watches, istio/istio 1.28.0 pilot/pkg/xds/ads.go pushConnection; ASSUMPTION: Envoy's
 * work grows with all it is sent, though it keeps the clusters that did not change).
 */
export function envoyFullPushCpu(config: EnvoyConfig, c = IDLE_DEFAULTS): number {
  // ASSUMPTION: a listener of its own costs to apply as a cluster.
  return (
    c.envoyPushCpu +
    c.envoyPushCpuPerCluster * (config.clusters + (config.listeners ?? 0)) +
    c.envoyPushCpuPerEndpoint * config.endpoints
  );
}

/** Background cores of a ztunnel: its open connections and the workload updates it applies. */
export function ztunnelIdleCpu(openConnections: number, updatesPerSecond: number, c = IDLE_DEFAULTS): number {
  return (
    c.ztunnelBaseCpu + c.ztunnelCpuPerConnection * openConnections + c.ztunnelCpuPerUpdate * updatesPerSecond
  );
}

// istio/ztunnel 1.30.0 src/copy.rs: each connection starts with three 1 KiB buffers, grown to
// 16 KiB - 64 after 128 KiB have been copied and to 256 KiB - 64 after 10 MiB.
const INITIAL_BUFFER = 1024;
const LARGE_BUFFER = 16_384 - 64;
const JUMBO_BUFFER = 16 * 16_384 - 64;
const LARGE_AFTER = 128 * KiB;
const JUMBO_AFTER = 10 * MiB;
const BUFFERS_PER_CONNECTION = 3;

/** Bytes of copy buffers a ztunnel connection holds after `bytesCopied` bytes went through it.
 * ASSUMPTION: all three buffers grow together with the busier direction's bytes. */
export function ztunnelConnectionBuffers(bytesCopied: number): number {
  const size =
    bytesCopied >= JUMBO_AFTER ? JUMBO_BUFFER : bytesCopied >= LARGE_AFTER ? LARGE_BUFFER : INITIAL_BUFFER;
  return BUFFERS_PER_CONNECTION * size;
}

export interface ZtunnelHolding {
  /** Every pod and service of the cluster: ztunnel is sent all of them. */
  clusterWorkloads: number;
  clusterServices: number;
  /** Pods on its own node it captures. */
  localWorkloads: number;
  /** Bytes copied so far through each open connection. */
  connectionBytes: readonly number[];
}

export function ztunnelMemory(h: ZtunnelHolding, c = IDLE_DEFAULTS): number {
  let connections = 0;
  for (const bytes of h.connectionBytes)
    connections += c.ztunnelMemoryPerConnection + ztunnelConnectionBuffers(bytes);
  return (
    c.ztunnelMemoryBase +
    c.ztunnelMemoryPerClusterWorkload * h.clusterWorkloads +
    c.ztunnelMemoryPerClusterService * h.clusterServices +
    c.ztunnelMemoryPerLocalWorkload * h.localWorkloads +
    connections
  );
}

export function waypointMemory(config: EnvoyConfig, openConnections: number, c = IDLE_DEFAULTS): number {
  return (
    c.waypointMemoryBase +
    c.waypointMemoryPerCluster * config.clusters +
    c.waypointMemoryPerEndpoint * config.endpoints +
    c.waypointMemoryPerConnection * openConnections
  );
}
