// How many worker threads each proxy runs, derived as Istio and ztunnel derive them. A proxy's workers
// are its software servers; each is one thread, so it uses at most one core of the node (sim/processor.ts).

/** Downward API value of `limits.cpu` with divisor 1: the limit rounded up, or the node's allocatable
 * cores when the container has no limit (kubernetes pkg/api/v1/resource/helpers.go
 * convertResourceCPUToString: ceil(milli / divisor); fallback documented at
 * https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#fallback-information-for-resource-limits). */
export function downwardCpuLimit(cpuLimitCores: number | undefined, nodeAllocatableCores: number): number {
  const cores = cpuLimitCores !== undefined && cpuLimitCores > 0 ? cpuLimitCores : nodeAllocatableCores;
  return Math.ceil(Math.round(cores * 1000) / 1000);
}

/** Where a proxy's ProxyConfig `concurrency` can be set, lowest precedence first. */
export interface ConcurrencySettings {
  /** meshConfig.defaultConfig.concurrency. */
  meshDefault?: number;
  /** A ProxyConfig resource selecting the workload (delivered to the agent in the PROXY_CONFIG env). */
  proxyConfigResource?: number;
  /** The pod's `proxy.istio.io/config` annotation. */
  annotation?: number;
}

/**
 * The `concurrency` the agent ends up with: the annotation is applied last, over the ProxyConfig resource,
 * over the mesh default (istio/istio 1.28.0 pilot/cmd/pilot-agent/config/config.go getMeshConfig: mesh
 * file, then PROXY_CONFIG, then the annotation). Undefined when none sets it.
 */
export function configuredConcurrency(s: ConcurrencySettings): number | undefined {
  return s.annotation ?? s.proxyConfigResource ?? s.meshDefault;
}

export interface EnvoyProxy {
  concurrency?: ConcurrencySettings;
  /** The proxy container's CPU limit in cores, if it has one. */
  cpuLimitCores?: number;
  nodeAllocatableCores: number;
  /** Hardware threads of the node: what Envoy itself uses with concurrency 0. */
  nodeLogicalCores: number;
}

/**
 * Envoy worker threads of a sidecar, gateway or waypoint (the same rule for all three: the sidecar
 * injection template, gateway-injection-template.yaml, kube-gateway.yaml and waypoint.yaml all pass the
 * container's `limits.cpu` as ISTIO_CPU_LIMIT). istio/istio 1.28.0 (unchanged since 1.18, PR #43865)
 * pilot/cmd/pilot-agent/config/config.go ConstructProxyConfig:
 *  - ProxyConfig `concurrency` set: used as is;
 *  - unset: ISTIO_CPU_LIMIT, i.e. the CPU limit rounded up, or the node's allocatable cores without a
 *    limit (so the chart's default 2-CPU limit gives 2 workers);
 *  - 0 (set, or nothing detected): pkg/envoy/proxy.go passes no --concurrency, and Envoy runs one worker
 *    per hardware thread (https://www.envoyproxy.io/docs/envoy/latest/operations/cli#cmdoption-concurrency).
 */
export function envoyWorkers(p: EnvoyProxy): number {
  let concurrency = p.concurrency ? configuredConcurrency(p.concurrency) : undefined;
  if (concurrency === undefined) concurrency = downwardCpuLimit(p.cpuLimitCores, p.nodeAllocatableCores);
  return concurrency > 0 ? Math.floor(concurrency) : p.nodeLogicalCores;
}

export interface ZtunnelProxy {
  /** ProxyConfig `concurrency` from the mesh default or the annotation (ztunnel reads PROXY_CONFIG). */
  concurrency?: number;
  /** ZTUNNEL_WORKER_THREADS: a count, or a percentage of the CPU count such as '50%'. */
  workerThreads?: number | `${number}%`;
  cpuLimitCores?: number;
  cpuRequestCores?: number;
  nodeAllocatableCores: number;
  /** The Istio minor version of ztunnel: the default changed in 1.31. */
  version: number;
}

/** DEFAULT_WORKER_THREADS in istio/ztunnel src/config.rs (1.22 onwards). */
export const ZTUNNEL_DEFAULT_WORKER_THREADS = 2;
/** DEFAULT_WORKER_THREAD_CPU_FRACTION, istio/ztunnel src/config.rs from 1.31.0-alpha.2. */
export const ZTUNNEL_WORKER_CPU_FRACTION = 0.25;

/**
 * ztunnel's Tokio worker threads, istio/ztunnel src/config.rs:
 *  - up to 1.30 (tag 1.30.0): `concurrency` or 2;
 *  - from 1.31 (tag 1.31.0-rc.0, default_worker_threads): `concurrency` when positive, the CPU count when
 *    0; unset: with a CPU limit, max(limit rounded up, request rounded up), otherwise
 *    max(ceil(0.25 x CPU count), request rounded up, 2);
 *  - then ZTUNNEL_WORKER_THREADS overrides (a percentage is of the CPU count, rounded up, at least 1),
 *    and the result is at least 1 (1.30 has no such floor: concurrency 0 there stops ztunnel at start-up,
 *    which a scenario cannot mean).
 * The CPU count is the limit rounded up, or the node's allocatable cores without one (get_cpu_count reads
 * the downward API's limits.cpu).
 */
export function ztunnelWorkers(z: ZtunnelProxy): number {
  const cpuCount = downwardCpuLimit(z.cpuLimitCores, z.nodeAllocatableCores);
  let base: number;
  if (z.version < 31) base = z.concurrency ?? ZTUNNEL_DEFAULT_WORKER_THREADS;
  else if (z.concurrency !== undefined) base = z.concurrency > 0 ? z.concurrency : cpuCount;
  else {
    const request = z.cpuRequestCores !== undefined ? Math.ceil(z.cpuRequestCores - 1e-9) : 0;
    base =
      z.cpuLimitCores !== undefined && z.cpuLimitCores > 0
        ? Math.max(Math.ceil(z.cpuLimitCores - 1e-9), request)
        : Math.max(
            Math.ceil(cpuCount * ZTUNNEL_WORKER_CPU_FRACTION),
            request,
            ZTUNNEL_DEFAULT_WORKER_THREADS,
          );
  }
  if (typeof z.workerThreads === 'number') base = z.workerThreads;
  else if (typeof z.workerThreads === 'string') {
    const percent = Number(z.workerThreads.slice(0, -1));
    base = Math.max(1, Math.ceil((cpuCount * percent) / 100));
  }
  return Math.max(1, Math.floor(base));
}
