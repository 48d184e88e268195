// Defaults the loader fills that defaults.ts does not cover. Kinds as in defaults.ts: D = read from
// Kubernetes/Istio, A = ASSUMPTION for lack of a published figure (overridable from the scenario).
import type { ClientCpu } from './client-cpu.ts';
import type {
  ConnectionSpec,
  DistributionSpec,
  KubeletSettings,
  Lifecycle,
  ResourceSpec,
  RolloutSettings,
} from './types.ts';

const Ki = 1024;
const Mi = 1024 * Ki;

/** Application container requests when a service gives none (A: a small web service). */
export const DEFAULT_SERVICE_RESOURCES: ResourceSpec = { requests: { cpu: 0.1, memory: 128 * Mi } };
/** Requests one pod serves at once (A: a typical worker or thread pool). */
export const DEFAULT_CONCURRENCY = 64;
/** Application time per request (A). */
export const DEFAULT_SERVICE_TIME: DistributionSpec = { kind: 'constant', value: 1e-3 };
/**
 * Part of a service time that is CPU work (A: all of it, the meaning serviceTime has had in meshsim from
 * the start; an I/O-bound handler should say less, e.g. `cpuFraction: 0.2`, since only CPU work is
 * stretched when its node's cores are contended).
 */
export const DEFAULT_CPU_FRACTION = 1;
/** Request and response bodies (A: the 1 KB payload of Istio's benchmarks). */
export const DEFAULT_BODY = 1 * Ki;
/** Connections kept per client pod and destination (A). */
export const DEFAULT_KEEPALIVE_POOL = 8;
/** Long-lived streams per client pod and destination (A), and how long each lasts (A). */
export const DEFAULT_LONG_LIVED_POOL = 2;
export const DEFAULT_LONG_LIVED_LIFETIME: DistributionSpec = { kind: 'exponential', mean: 300 };
export const DEFAULT_CONNECTION: ConnectionSpec = { type: 'keepalive', poolSize: DEFAULT_KEEPALIVE_POOL };
/**
 * CPU of a load generator per request and per connection it opens (A, overridable per entry point as
 * `clientPod.cpuPerRequest` / `clientPod.cpuPerConnection`). No load tool publishes CPU per request; the
 * one per-thread figure found is wrk's README (wg/wrk README.md, "Basic Usage": 12 threads, 400
 * connections, 748,868 requests/s, 56.2k requests/s per thread against a local server), which bounds the
 * leanest C event-loop client at 1 / 56.2k = 18 us of a core per request. fortio, oha and k6 build requests
 * in Go, Rust or JavaScript and record every latency in a histogram: 50 us (20,000 requests/s per core) is
 * taken for them all. Opening and closing a TCP connection (connect, accept of the SYN-ACK, close) is
 * taken as 20 us, a few system calls and a socket allocation.
 */
export const DEFAULT_CLIENT_CPU: ClientCpu = {
  perRequest: 50e-6,
  perConnection: 20e-6,
  // D: wrk2's default -t (giltene/wrk2 src/wrk.c parse_args: cfg->threads = 2), overridable as
  // `clientPod.threads`.
  threads: 2,
};
/**
 * The kubelet's CPU quota (D: KubeletConfiguration defaults cpuCFSQuota true and cpuCFSQuotaPeriod 100ms,
 * kubernetes/kubernetes pkg/kubelet/apis/config/v1beta1/defaults.go, v1.31).
 */
export const DEFAULT_KUBELET: KubeletSettings = { cpuCFSQuota: true, cpuCFSQuotaPeriod: 0.1 };
/**
 * A proxy container restarted in its running pod (after an OOM kill) is ready again 2 s later (A: no
 * published figure; Envoy starts, fetches its certificate and configuration from istiod and passes its
 * readiness probe; ztunnel likewise). `lifecycle.proxyRestart` overrides it.
 */
export const DEFAULT_PROXY_RESTART = 2;
/**
 * A new pod's sidecar, from its start to ready before applying its configuration (A: as a proxy restart,
 * DEFAULT_PROXY_RESTART, the same steps: pilot-agent starts Envoy, which fetches its certificate and
 * configuration from istiod and passes its readiness probe). `lifecycle.sidecarStartup` overrides it.
 */
export const DEFAULT_SIDECAR_STARTUP = DEFAULT_PROXY_RESTART;
/** Deployment replicas when unset (D: Kubernetes default 1). */
export const DEFAULT_REPLICAS = 1;
/** Zone of a node pool that names none (A: a single-zone cluster). */
export const DEFAULT_ZONE = 'zone-a';

export const DEFAULT_LIFECYCLE: Lifecycle = {
  // SOURCES.md section 7: pod start-to-ready is a scenario input, "for example 5-20 s" (A).
  podStartup: { kind: 'uniform', min: 5, max: 20 },
  // terminationGracePeriodSeconds 30 (D), Envoy terminationDrainDuration 5 s (D), ztunnel drains for the
  // grace period minus 5 s (D).
  terminationGrace: 30,
  sidecarDrain: 5,
  ztunnelDrain: 25,
  // Client reconnect backoff after a reset (A).
  reconnectBackoff: { kind: 'exponential', mean: 0.1 },
  // No preStop hook unless the scenario adds one (D: Kubernetes runs none by default).
  preStop: 0,
  endpointPropagation: {
    // kube-proxy applies endpoint changes at most once per --iptables-min-sync-period, 1 s by default
    // (D: kubernetes/kubernetes pkg/proxy/apis/config/v1alpha1/defaults.go, v1.28+); we take the full
    // second (A).
    kubeProxy: 1,
    // ztunnel: istio/istio #58514 measures 200-500 ms of refused connections per terminating pod with
    // ambient (Istio 1.27/1.28); we take the middle, 350 ms (A). Envoy receives the same push from istiod
    // (debounced 100 ms, PILOT_DEBOUNCE_AFTER, istio/istio pilot/pkg/features/tuning.go): no published
    // figure, so the same 350 ms (A).
    ztunnel: 0.35,
    envoy: 0.35,
  },
};

export const DEFAULT_SIMULATION = { duration: 30, warmup: 5, seed: 1, replications: 3, timeStep: 1 };
/**
 * `simulation.precision` defaults: a 95 % half-width within 5 % (the relative precision of sequential
 * procedures in JMT's and OMNeT++'s output analysis; Law, Simulation Modeling and Analysis, 9.4.1), or
 * 0.1 ms (a tenth of a typical mesh hop's added latency, below what a user can act on), at most 30
 * replications.
 */
export const DEFAULT_PRECISION = { relative: 0.05, absolute: 1e-4, maxReplications: 30 };

/**
 * Deployment strategy defaults (D: Kubernetes maxSurge 25 %, maxUnavailable 25 %). Deployments restart all
 * at once: `kubectl rollout restart deployment -n NS` patches every Deployment's pod template in one pass
 * without waiting for any (D: kubernetes/kubectl pkg/cmd/rollout/rollout_restart.go, v0.31).
 */
export const DEFAULT_ROLLOUT: RolloutSettings = {
  maxSurge: { value: 25, percent: true },
  maxUnavailable: { value: 25, percent: true },
  parallelDeployments: 'all',
};
/** ztunnel DaemonSet update strategy (D: Istio's chart, maxSurge 1, maxUnavailable 0). */
export const DEFAULT_DAEMONSET = {
  maxSurge: { value: 1, percent: false },
  maxUnavailable: { value: 0, percent: false },
};
/** Time a faulted component takes to come back (A: a container restart and readiness). */
export const DEFAULT_FAULT_RECOVERY = 30;

/**
 * kube-controller-manager's --node-monitor-grace-period: a node that stops reporting is marked NotReady
 * (Unknown) after it, and only then are its pods marked not ready and removed from endpoints
 * (kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go, MarkPodsNotReady).
 * 40 s up to Kubernetes 1.31; 50 s from 1.32 (D: kubernetes/kubernetes #126287,
 * pkg/controller/nodelifecycle/config/v1alpha1/defaults.go).
 */
export function nodeMonitorGracePeriod(kubernetesVersion: string): number {
  return Number(kubernetesVersion.split('.')[1]) >= 32 ? 50 : 40;
}

/**
 * Pods on a NotReady/unreachable node are evicted after the tolerationSeconds the DefaultTolerationSeconds
 * admission plugin adds to every pod: 300 s (D: kubernetes/kubernetes
 * plugin/pkg/admission/defaulttolerationseconds/admission.go, default-not-ready-toleration-seconds).
 */
export const DEFAULT_EVICT_AFTER = 300;
