// The pod annotations that set a sidecar's own resources and workers, which the scenario takes over on a
// service or DaemonSet (scenario/normalise/sidecar-resources.ts, proxy-config.ts).
import { PROXY_CONFIG, readProxyConfig } from '../scenario/index.ts';
import type { Workload } from './workload.ts';

/** The pod annotations that set the istio-proxy container's resources (injection-template.yaml). */
export const SIDECAR_RESOURCE_ANNOTATIONS = [
  'sidecar.istio.io/proxyCPU',
  'sidecar.istio.io/proxyMemory',
  'sidecar.istio.io/proxyCPULimit',
  'sidecar.istio.io/proxyMemoryLimit',
];

export function sidecarResourceAnnotations(w: Workload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SIDECAR_RESOURCE_ANNOTATIONS) {
    const v = w.podAnnotations[k];
    if (v !== undefined) out[k] = v;
  }
  const workers = proxyConfigConcurrency(w);
  if (workers) out[PROXY_CONFIG] = `concurrency: ${workers.concurrency}`;
  return out;
}

/**
 * The `concurrency` a pod's proxy.istio.io/config sets, where pilot-agent reads it (scenario
 * readProxyConfig); `onlyConcurrency` where that is all it sets.
 */
export function proxyConfigConcurrency(
  w: Workload,
): { concurrency: number; onlyConcurrency: boolean } | undefined {
  const text = w.podAnnotations[PROXY_CONFIG];
  const config = text === undefined ? null : readProxyConfig(text);
  if (config?.concurrency === undefined) return undefined;
  return { concurrency: config.concurrency, onlyConcurrency: config.others.length === 0 };
}
