// The pod annotations that set a sidecar's own resources and workers, which the scenario takes over on a
// service or DaemonSet (scenario/normalise/sidecar-resources.ts, proxy-config.ts).
import { parse } from 'yaml';
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
  if (workers !== undefined) out[PROXY_CONFIG] = `concurrency: ${workers}`;
  return out;
}

export const PROXY_CONFIG = 'proxy.istio.io/config';

/** The `concurrency` a pod's proxy.istio.io/config sets, when it is a ProxyConfig that sets a valid one. */
export function proxyConfigConcurrency(w: Workload): number | undefined {
  const text = w.podAnnotations[PROXY_CONFIG];
  if (text === undefined) return undefined;
  try {
    const c = (parse(text) as { concurrency?: unknown } | null)?.concurrency;
    return typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 1024 ? c : undefined;
  } catch {
    return undefined;
  }
}
