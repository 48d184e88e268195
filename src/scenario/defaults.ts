// Every default meshsim uses, with its source. Kinds as in shared/calibration/SOURCES.md:
// M = measured and published, D = default read from Istio/Kubernetes source or docs,
// A = ASSUMPTION made here for lack of a published figure (each can be overridden from the scenario).

import { defaultAutoscaling, ISTIOD_AUTOSCALING } from './autoscaling.ts';
import type { OutlierDetection } from './traffic-policy.ts';
import type { EntryPoint, MeshSettings, NetworkSpec, ProxyCost, ResourceSpec } from './types.ts';
import { DEFAULT_MESH_VERSION } from './version.ts';

const Ki = 1024;
const Mi = 1024 * 1024;
const Gi = 1024 * Mi;
/** Bytes per second in one Gbps; the sizing model quotes CPU per Gbps of proxied traffic. */
const GBPS_KIB_PER_S = 1e9 / 8 / Ki;

/**
 * Payload used by Istio's benchmark harness: fortio with a 1 KB payload, echoed by the fortio server, so
 * 1 KiB each way (A: the echo is how fortio's server answers; the page only says "1 KB payload").
 * https://istio.io/v1.24/docs/ops/deployment/performance-and-scalability/
 */
export const CALIBRATION_KIB_PER_REQUEST = 2;

// ---- Envoy (sidecar and waypoint) -------------------------------------------------------------------

/**
 * Envoy CPU per KiB of body. Netcracker qubership-istio docs/internal/hardware-sizing-model.md (Istio 1.30,
 * kind + EKS + fortio): waypoint 0.35 vCPU per Gbps (M). Used for sidecars too: both are Envoy (A).
 */
const ENVOY_CPU_PER_KIB = 0.35 / GBPS_KIB_PER_S;

/**
 * Sidecar 0.20 vCPU per 1000 rps through it: Istio 1.24 "Performance and Scalability", HTTP/1.1, 1 KB
 * payload, 2 worker threads, mTLS, 1000 rps (M). The fixed part is what remains after the per-KiB part.
 */
const SIDECAR_CPU_PER_REQUEST = 0.2 / 1000 - CALIBRATION_KIB_PER_REQUEST * ENVOY_CPU_PER_KIB;

/** Waypoint 0.25 vCPU per 1000 rps, same page and conditions (M). */
const WAYPOINT_CPU_PER_REQUEST = 0.25 / 1000 - CALIBRATION_KIB_PER_REQUEST * ENVOY_CPU_PER_KIB;

/**
 * CPU of one mTLS handshake terminated by a proxy (ECDHE P-256 + ECDSA, TLS 1.3): no published figure
 * for Envoy or ztunnel under Istio (A: 0.5 ms per side, typical of OpenSSL/BoringSSL/rustls on one core).
 * It runs on the path of the request that opened the connection, on the node's cores.
 */
const HANDSHAKE_CPU = 0.5e-3;
/** Handshake latency besides its round trips and its CPU (A: none; the crypto is HANDSHAKE_CPU). */
const HANDSHAKE_LATENCY = 0;

/**
 * A hop's latency = its on-path CPU (stretched when its node's cores are contended) + a non-CPU part
 * (kernel, loopback or iptables redirect, network stack). Istio publishes the latency two proxies add to a
 * call (P90, P99) at light load, not the split, so (A) a fraction of each proxy's per-request CPU is on
 * the request's path (the rest, stats and access logs after the response, keeps the worker busy off it)
 * and the non-CPU part is lognormal, fitted (median, sigma) so that two hops reproduce the published pair
 * at 1000 rps; `meshsim calibrate` checks it.
 * Sidecars: P90 0.228 ms, P99 0.298 ms for two sidecars, Istio 1.20, 1 KB, 1000 rps, 2 workers, mTLS (M).
 * A: a quarter of Envoy's per-request CPU (about 50 us of 200 us) is on the path.
 */
const ENVOY_CPU_ON_PATH = 0.25;
const SIDECAR_NON_CPU_MEDIAN = 30.7e-6;
const SIDECAR_NON_CPU_SIGMA = 0.6;
/**
 * Ztunnels: P90 0.17 ms, P99 0.20 ms for the two ztunnels of a call, Istio 1.22, same conditions (M).
 * A: half of ztunnel's per-request CPU is on the path (no access log or L7 stats by default).
 */
const ZTUNNEL_CPU_ON_PATH = 0.5;
const ZTUNNEL_NON_CPU_MEDIAN = 39e-6;
const ZTUNNEL_NON_CPU_SIGMA = 0.34;
/** Waypoint hop: no published figure; the same non-CPU part as a sidecar hop, both Envoy (A). */

/**
 * Envoy memory: sizing model (Istio 1.30): 0.092 Mi per cluster, 0.018 Mi per endpoint, 0.07 Mi per
 * keep-alive connection (M). The base makes Istio 1.24's 60 MB per proxy (M) come out in its benchmark
 * set-up (client + server services, 1 endpoint each, 4 client connections; see
 * scenarios/calibration/sidecar.yaml).
 */
const ENVOY_MEMORY_PER_CLUSTER = 0.092 * Mi;
const ENVOY_MEMORY_PER_ENDPOINT = 0.018 * Mi;
const ENVOY_MEMORY_PER_CONNECTION = 0.07 * Mi;
const ENVOY_CALIBRATION_CONFIG = 2 * ENVOY_MEMORY_PER_CLUSTER + 2 * ENVOY_MEMORY_PER_ENDPOINT;
const SIDECAR_MEMORY_BASE = 60e6 - ENVOY_CALIBRATION_CONFIG - 4 * ENVOY_MEMORY_PER_CONNECTION;
const WAYPOINT_MEMORY_BASE = 60e6 - ENVOY_CALIBRATION_CONFIG - 4 * ENVOY_MEMORY_PER_CONNECTION;

// ---- ztunnel ----------------------------------------------------------------------------------------

/** ztunnel 0.2 vCPU per Gbps (sizing model, Istio 1.30, M). */
const ZTUNNEL_CPU_PER_KIB = 0.2 / GBPS_KIB_PER_S;
/** ztunnel 0.06 vCPU per 1000 rps, Istio 1.24, same conditions as the sidecar figure (M). */
const ZTUNNEL_CPU_PER_REQUEST = 0.06 / 1000 - CALIBRATION_KIB_PER_REQUEST * ZTUNNEL_CPU_PER_KIB;
/** 0.45 vCPU per 1000 new connections/s (sizing model, M): 450 us per captured connection. */
const ZTUNNEL_CPU_PER_CONNECTION = 0.45 / 1000;
/** 0.04 vCPU per 1000 open connections (sizing model, M): housekeeping CPU per open connection. */
const ZTUNNEL_CPU_PER_OPEN_CONNECTION = 0.04 / 1000;
/**
 * ztunnel memory: 8 KiB per pod and 3.5 KiB per service in the cluster, 0.03 MiB per open connection
 * (sizing model, M); base set so that Istio 1.24's 12 MB (M) comes out in its benchmark set-up.
 */
const ZTUNNEL_MEMORY_PER_WORKLOAD = 8 * Ki;
const ZTUNNEL_MEMORY_PER_SERVICE = 3.5 * Ki;
const ZTUNNEL_MEMORY_PER_CONNECTION = 0.03 * Mi;
const ZTUNNEL_MEMORY_BASE = 12e6 - 2 * ZTUNNEL_MEMORY_PER_WORKLOAD - 2 * ZTUNNEL_MEMORY_PER_SERVICE;

export const DEFAULT_SIDECAR_COST: ProxyCost = {
  cpuPerRequest: SIDECAR_CPU_PER_REQUEST,
  cpuPerKiB: ENVOY_CPU_PER_KIB,
  cpuPerHandshake: HANDSHAKE_CPU,
  // Envoy accepting a plaintext connection from its own app over loopback: no figure (A: 20 us).
  cpuPerConnection: 20e-6,
  cpuPerOpenConnection: 0,
  cpuOnPath: ENVOY_CPU_ON_PATH,
  criticalPath: { kind: 'lognormal', mu: Math.log(SIDECAR_NON_CPU_MEDIAN), sigma: SIDECAR_NON_CPU_SIGMA },
  // Copying bytes is CPU (cpuPerKiB, its on-path share included above): no extra non-CPU time per KiB (A).
  criticalPathPerKiB: 0,
  handshakeLatency: HANDSHAKE_LATENCY,
  memoryBase: SIDECAR_MEMORY_BASE,
  memoryPerCluster: ENVOY_MEMORY_PER_CLUSTER,
  memoryPerEndpoint: ENVOY_MEMORY_PER_ENDPOINT,
  memoryPerWorkload: 0,
  memoryPerService: 0,
  memoryPerConnection: ENVOY_MEMORY_PER_CONNECTION,
};

export const DEFAULT_WAYPOINT_COST: ProxyCost = {
  ...DEFAULT_SIDECAR_COST,
  cpuPerRequest: WAYPOINT_CPU_PER_REQUEST,
  memoryBase: WAYPOINT_MEMORY_BASE,
};

export const DEFAULT_ZTUNNEL_COST: ProxyCost = {
  cpuPerRequest: ZTUNNEL_CPU_PER_REQUEST,
  cpuPerKiB: ZTUNNEL_CPU_PER_KIB,
  cpuPerHandshake: HANDSHAKE_CPU,
  cpuPerConnection: ZTUNNEL_CPU_PER_CONNECTION,
  cpuPerOpenConnection: ZTUNNEL_CPU_PER_OPEN_CONNECTION,
  cpuOnPath: ZTUNNEL_CPU_ON_PATH,
  criticalPath: { kind: 'lognormal', mu: Math.log(ZTUNNEL_NON_CPU_MEDIAN), sigma: ZTUNNEL_NON_CPU_SIGMA },
  criticalPathPerKiB: 0,
  handshakeLatency: HANDSHAKE_LATENCY,
  memoryBase: ZTUNNEL_MEMORY_BASE,
  memoryPerCluster: 0,
  memoryPerEndpoint: 0,
  memoryPerWorkload: ZTUNNEL_MEMORY_PER_WORKLOAD,
  memoryPerService: ZTUNNEL_MEMORY_PER_SERVICE,
  memoryPerConnection: ZTUNNEL_MEMORY_PER_CONNECTION,
};

/** istio-discovery chart `global.proxy.resources`, Istio 1.20-1.31: 100m / 128Mi, limits 2000m / 1024Mi (D). */
const SIDECAR_RESOURCES: ResourceSpec = {
  requests: { cpu: 0.1, memory: 128 * Mi },
  limits: { cpu: 2, memory: 1024 * Mi },
};
/** `global.waypoint.resources`: 100m / 128Mi, limits 2 CPU / 1Gi (D). */
const WAYPOINT_RESOURCES: ResourceSpec = {
  requests: { cpu: 0.1, memory: 128 * Mi },
  limits: { cpu: 2, memory: 1 * Gi },
};
/**
 * The ingress gateway Deployment as istio/istio 1.28.0 manifests/charts/gateway/values.yaml renders it:
 * requests 100m / 128Mi, limits 2000m / 1024Mi; autoscaling from minReplicas 1 (the HPA itself is not
 * modelled: the replica count is fixed); installed as `helm install istio-ingress istio/gateway -n
 * istio-ingress` (https://istio.io/v1.28/docs/setup/additional-setup/gateway/) (D).
 */
const INGRESS_GATEWAY_RESOURCES: ResourceSpec = {
  requests: { cpu: 0.1, memory: 128 * Mi },
  limits: { cpu: 2, memory: 1024 * Mi },
};
/** ztunnel chart, Istio 1.22+: requests 200m / 512Mi, no limits (D). */
const ZTUNNEL_RESOURCES: ResourceSpec = { requests: { cpu: 0.2, memory: 512 * Mi } };
/**
 * What an istio-cni node agent uses: a base plus a term per pod on its node. The agent watches the pods of
 * its own node and keeps one cache entry, with an open network namespace for ambient pods, per pod
 * (istio/istio cni/pkg/nodeagent, podNetnsCache: "a cache of node local pods with their netns", 1.28.0);
 * it does no per-request work. No published figure for either term: ASSUMPTION 3m CPU and 40 MiB base,
 * 0.1m CPU and 256 KiB per pod on the node (about 50 MiB at 40 pods, half its 100 MiB request).
 * Overridable from mesh.istioCni.usage.
 */
export const ISTIO_CNI_USAGE = {
  cpuBase: 0.003,
  cpuPerPod: 0.0001,
  memoryBase: 40 * Mi,
  memoryPerPod: 256 * Ki,
};
/** istio-cni chart: 100m / 100Mi per node (D). */
const ISTIO_CNI_RESOURCES: ResourceSpec = { requests: { cpu: 0.1, memory: 100 * Mi } };
/** istio-discovery chart: istiod requests 500m / 2Gi (D); HPA from 1 replica. */
const ISTIOD_RESOURCES: ResourceSpec = { requests: { cpu: 0.5, memory: 2 * Gi } };
/** istiod memory terms of the ambient sizing model (Istio 1.30, Netcracker, x 2 Mi each) (M). */
const ISTIOD_MEMORY_BASE = 50 * 2 * Mi;
const ISTIOD_MEMORY_PER_SERVICE = 0.07 * 2 * Mi;
const ISTIOD_MEMORY_PER_POD = 0.05 * 2 * Mi;
/** Istio 1.20's published control-plane point: 1.5 GB with 1,000 services and 2,000 sidecars (M). */
export const ISTIOD_PUBLISHED = { memory: 1.5e9, cpu: 1, services: 1000, proxies: 2000, pods: 2000 };
/** The per-proxy term that makes the sizing model's other terms reproduce that point (fitted, see below). */
const ISTIOD_MEMORY_PER_PROXY =
  (ISTIOD_PUBLISHED.memory -
    ISTIOD_MEMORY_BASE -
    ISTIOD_PUBLISHED.services * ISTIOD_MEMORY_PER_SERVICE -
    ISTIOD_PUBLISHED.pods * ISTIOD_MEMORY_PER_POD) /
  ISTIOD_PUBLISHED.proxies;

export const DEFAULT_MESH: MeshSettings = {
  version: DEFAULT_MESH_VERSION,
  sidecar: {
    resources: SIDECAR_RESOURCES,
    // Workers unset: pilot-agent derives concurrency from the CPU limit, so 2 with the default 2000m
    // limit (D; src/mesh/workers.ts envoyWorkers).
    scope: 'mesh',
    cost: DEFAULT_SIDECAR_COST,
  },
  ztunnel: {
    resources: ZTUNNEL_RESOURCES,
    // Workers unset: ztunnel src/config.rs gives 2 worker threads in 1.22-1.30 (D; ztunnelWorkers).
    cost: DEFAULT_ZTUNNEL_COST,
    // ztunnel ARCHITECTURE.md / src/config.rs: at most 100 streams per pooled HBONE connection (D).
    hbonePoolStreams: 100,
  },
  waypoint: {
    cost: DEFAULT_WAYPOINT_COST,
    // Waypoint template: 2 CPU limit, hence 2 Envoy workers derived (D); one replica as `istioctl waypoint apply`.
    defaults: { replicas: 1, resources: WAYPOINT_RESOURCES },
  },
  ingressGateway: {
    name: 'istio-ingress',
    namespace: 'istio-ingress',
    replicas: 1,
    resources: INGRESS_GATEWAY_RESOURCES,
    // ASSUMPTION: no published per-request figure for an ingress gateway; it is a standalone Envoy
    // Deployment proxying to mesh endpoints like a waypoint, so it costs what a waypoint hop costs.
    // Overridable from mesh.ingressGateway.cost.
    cost: DEFAULT_WAYPOINT_COST,
  },
  istioCni: { resources: ISTIO_CNI_RESOURCES, enabledInSidecarMode: false, usage: ISTIO_CNI_USAGE },
  // Idle CPU and memory coefficients: src/mesh/idle.ts IDLE_DEFAULTS (each cited there).
  idle: {},
  istiod: {
    replicas: 1,
    resources: ISTIOD_RESOURCES,
    // The chart's HPA (autoscaling.ts): 1 to 5 replicas at 80 % of the CPU request (D).
    autoscaling: defaultAutoscaling(
      ISTIOD_AUTOSCALING.minReplicas,
      ISTIOD_AUTOSCALING.maxReplicas,
      ISTIOD_AUTOSCALING.targetCPUUtilization,
    ),
    // Memory terms. Base, per service, per pod and per config object: the ambient sizing model (Istio
    // 1.30, Netcracker qubership-istio docs/internal/hardware-sizing-model.md: (50 + 0.07 x services +
    // 0.05 x pods + 0.05 x config objects + 1 x proxies) x 2 Mi) (M). Its per-proxy term (2 Mi) was fitted
    // on ambient meshes of few proxies and gives about 4.4 GB at Istio's published control-plane point,
    // three times the measurement, so the per-proxy term is fitted to that point instead: istiod 1.5 GB
    // with 1,000 services and 2,000 sidecars (Istio 1.20, Performance and Scalability page,
    // https://istio.io/v1.20/docs/ops/deployment/performance-and-scalability/, namespace isolation) (M):
    // (1.5 GB - (100 + 1000 x 0.14 + 2000 x 0.1) Mi) / 2000 = 0.495 Mi per connected proxy.
    memoryBase: ISTIOD_MEMORY_BASE,
    memoryPerService: ISTIOD_MEMORY_PER_SERVICE,
    memoryPerPod: ISTIOD_MEMORY_PER_POD,
    memoryPerConfig: 0.05 * 2 * Mi,
    memoryPerProxy: ISTIOD_MEMORY_PER_PROXY,
    // The sizing model's "at least 512 Mi" is a request recommendation, not what istiod uses: no floor on
    // modelled usage by default (a scenario may set one).
    memoryMin: 0,
    // Istio 1.20 page: istiod 1 vCPU with 2000 sidecars and 1000 services (M); the churn behind it is not
    // published, so we assume 1 config change/s pushed to every proxy: 1 vCPU / 2000 pushes/s = 0.5 ms
    // per proxy push (A, taken for sidecars that see the whole mesh; a sidecar scoped to its
    // callees gets only its share of the changes: mesh/churn-share.ts).
    cpuPerPush: 0.5e-3,
    configChangesPerSecond: 1,
    // Routing and policy objects changed per second (deploys that edit a VirtualService, a team's
    // AuthorizationPolicy): no published rate, and the calibration point above assumes endpoint churn
    // only, so none by default (A: set it from the platform's rate of such changes).
    configObjectChangesPerSecond: 0,
    // istiod's debounce of config and endpoint events: PILOT_DEBOUNCE_AFTER 100 ms, PILOT_DEBOUNCE_MAX
    // 10 s (istio/istio 1.28.0 pilot/pkg/features/tuning.go DebounceAfter, DebounceMax) (D).
    debounceAfter: 0.1,
    debounceMax: 10,
  },
};

/**
 * One-way network delay by locality (A: no published figure; shared/calibration/SOURCES.md section 7):
 * same node about 20 us, same zone about 100 us, across zones about 500 us.
 */
export const DEFAULT_NETWORK: NetworkSpec = { sameNode: 20e-6, sameZone: 100e-6, crossZone: 500e-6 };

/**
 * What a DestinationRule's `outlierDetection` leaves unset takes Envoy's defaults (D): consecutive_5xx 5
 * (enforced 100 %), consecutive_gateway_failure enforced 0 % (so off unless consecutiveGatewayErrors is
 * set: Istio then enforces it at 100 %), interval 10 s, base_ejection_time 30 s, max_ejection_time 300 s,
 * max_ejection_percent 10 (envoyproxy/envoy api/envoy/config/cluster/v3/outlier_detection.proto;
 * istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go applyOutlierDetection).
 */
export const DEFAULT_OUTLIER_DETECTION: OutlierDetection = {
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 0,
  interval: 10,
  baseEjectionTime: 30,
  maxEjectionTime: 300,
  maxEjectionPercent: 10,
};

/**
 * meshConfig.localityLbSetting defaults to enabled (istio/istio 1.28.0 pkg/config/mesh/mesh.go
 * DefaultMeshConfig), so a DestinationRule with outlier detection gets locality failover unless it turns
 * locality load balancing off (D).
 */
export const DEFAULT_LOCALITY_LB = true;

/**
 * A DestinationRule's retryBudget without `percent` gets budget_percent 0.2, and without
 * minRetryConcurrency (or 0) min_retry_concurrency 3 (D: istio/istio 1.28.0
 * pilot/pkg/networking/core/cluster_traffic_policy.go applyRetryBudget). Envoy's budget_percent is a
 * percentage (envoyproxy/envoy api/envoy/config/cluster/v3/circuit_breaker.proto RetryBudget, a
 * type.v3.Percent in [0, 100]), so istiod's default is 0.2 % of the active requests, not the 20 % its
 * comment says: below 1,500 active requests the floor of 3 decides.
 */
export const ISTIO_RETRY_BUDGET_PERCENT = 0.2;
export const ISTIO_MIN_RETRY_CONCURRENCY = 3;

/**
 * Envoy's retry back-off base interval: 25 ms (D: envoyproxy/envoy api/envoy/config/route/v3/
 * route_components.proto RetryPolicy.RetryBackOff, base_interval default; max_interval 10 times it).
 * istiod sets base_interval from a VirtualService's retries.backoff or an HTTPRoute's retry.backoff
 * (istio/istio 1.28.0 pilot/pkg/networking/core/route/retry/retry.go ConvertPolicy).
 */
export const DEFAULT_RETRY_BACKOFF = 0.025;

/** Istio's default retry policy: 2 attempts on connect-failure, refused-stream, unavailable (D). */
export const DEFAULT_RETRIES = 2;
/** Kubernetes: 110 pods per node (https://kubernetes.io/docs/setup/best-practices/cluster-large/, D). */
export const DEFAULT_MAX_PODS = 110;
/** OpenCost default inter-zone egress: $0.01 per GB (configs/default.json, D). */
export const DEFAULT_CROSS_ZONE_PER_GIB = 0.01 * (Gi / 1e9);

/** Namespace of the load-generator pods; they are a test harness, not part of the described workload. */
export const LOADGEN_NAMESPACE = 'loadgen';

/** The namespace an entry point's load-generator pods run in: clientPod.namespace, else loadgen. */
export function clientNamespace(ep: Pick<EntryPoint, 'clientPod'>): string {
  return ep.clientPod?.namespace ?? LOADGEN_NAMESPACE;
}
