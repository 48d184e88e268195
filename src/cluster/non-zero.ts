// The requests kube-scheduler scores a pod with. A container that requests no CPU or no memory is scored
// as if it requested 100m CPU and 200 MiB (kubernetes/kubernetes v1.31, pkg/scheduler/util/
// pod_resources.go: DefaultMilliCPURequest = 100, DefaultMemoryRequest = 200 * 1024 * 1024, applied
// per container by GetNonzeroRequestForResource; non_zero.go before v1.29), for scoring only: the Fit
// filter still uses the real requests. NodeResourcesFit's LeastAllocated score then compares nodes by
// their NonZeroRequested sums (pkg/scheduler/framework/plugins/noderesources/resource_allocation.go,
// useRequested false), so request-less pods spread instead of all landing on the emptiest-looking node.
// ASSUMPTION: the scenario cannot tell an unset request from an explicit 0 (which Kubernetes leaves at
// 0), so a zero request is read as unset, as request-less manifests (Bookinfo's, most samples) mean it.
import type { Resources } from '../scenario/types.ts';
import { COMPONENTS, type PodSpec } from './pod.ts';

/** kube-scheduler's DefaultMilliCPURequest, in cores. */
export const DEFAULT_SCORE_CPU = 0.1;
/** kube-scheduler's DefaultMemoryRequest, in bytes (200 MiB). */
export const DEFAULT_SCORE_MEMORY = 200 * 1024 * 1024;

/** The pod's requests as kube-scheduler scores them: each container's zero request at its default. */
export function nonZeroRequests(pod: Pick<PodSpec, 'requests'>): Resources {
  let cpu = 0;
  let memory = 0;
  for (const c of COMPONENTS) {
    const r = pod.requests[c];
    if (!r) continue;
    cpu += r.cpu > 0 ? r.cpu : DEFAULT_SCORE_CPU;
    memory += r.memory > 0 ? r.memory : DEFAULT_SCORE_MEMORY;
  }
  return { cpu, memory };
}

/**
 * What kube-scheduler's scoring adds to a pod's requests: the default for each container's zero request
 * (nonZeroRequests is the requests plus this). Kept apart so that a pod whose containers all request
 * something adds exactly 0, and room kept as requests scores exactly as before (events/room.ts).
 */
export function scoringDefaults(pod: Pick<PodSpec, 'requests'>): Resources {
  let cpu = 0;
  let memory = 0;
  for (const c of COMPONENTS) {
    const r = pod.requests[c];
    if (!r) continue;
    if (!(r.cpu > 0)) cpu += DEFAULT_SCORE_CPU;
    if (!(r.memory > 0)) memory += DEFAULT_SCORE_MEMORY;
  }
  return { cpu, memory };
}
