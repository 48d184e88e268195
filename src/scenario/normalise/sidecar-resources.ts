// A pod's own sidecar resources, from the annotations Istio's injection template reads.
import type { Problems } from '../pending.ts';
import type { ResourceSpec } from '../types.ts';
import { parseCpu, parseMemory, UnitError } from '../units.ts';
import { containerResources } from './merge.ts';

const FIELDS = [
  ['sidecar.istio.io/proxyCPU', 'requests', 'cpu'],
  ['sidecar.istio.io/proxyMemory', 'requests', 'memory'],
  ['sidecar.istio.io/proxyCPULimit', 'limits', 'cpu'],
  ['sidecar.istio.io/proxyMemoryLimit', 'limits', 'memory'],
] as const;

/**
 * The istio-proxy container's resources for pods annotated with any of sidecar.istio.io/proxyCPU,
 * proxyMemory, proxyCPULimit, proxyMemoryLimit; undefined without them (the mesh's sidecar resources).
 * As the injection template does (istio/istio 1.28.0 manifests/charts/istio-control/istio-discovery/files/
 * injection-template.yaml, `define "resources"`), any one of them replaces the mesh default whole: only
 * the annotated fields are set, so `proxyCPU` alone leaves the sidecar without a memory request and
 * without limits (then defaulted as any container's, merge.ts containerResources).
 */
export function annotatedSidecarResources(
  annotations: Record<string, string> | undefined,
  at: PropertyKey[],
  problems: Problems,
): ResourceSpec | undefined {
  if (!annotations || !FIELDS.some(([key]) => annotations[key] !== undefined)) return undefined;
  const set: { requests: { cpu?: number; memory?: number }; limits: { cpu?: number; memory?: number } } = {
    requests: {},
    limits: {},
  };
  for (const [key, part, resource] of FIELDS) {
    const v = annotations[key];
    if (v === undefined) continue;
    try {
      set[part][resource] = resource === 'cpu' ? parseCpu(v) : parseMemory(v);
    } catch (e) {
      if (!(e instanceof UnitError)) throw e;
      problems.add([...at, 'annotations', key], e.expected);
    }
  }
  return containerResources(set);
}
