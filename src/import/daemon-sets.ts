// The platform's own DaemonSets (log shippers, exporters, CSI and CNI agents other than Istio's) ->
// cluster.daemonSets: each takes room and CPU on every node it runs on, and carries a sidecar where its
// namespace injects one.
import { intOrPercent, type Json, obj } from './fields.ts';
import { describe, where } from './manifest.ts';
import type { Notes } from './notes.ts';
import { sidecarResourceAnnotations } from './proxy-annotations.ts';
import { schedulingFields } from './scheduling-fields.ts';
import { cpuText, memoryText } from './services.ts';
import type { Workload } from './workload.ts';

const INJECT = 'sidecar.istio.io/inject';

function daemonSet(
  w: Workload,
  path: Array<string | number>,
  nodeLabels: Record<string, string>[],
  notes: Notes,
): Json {
  const requests: Json = {};
  const limits: Json = {};
  for (const k of ['cpu', 'memory'] as const) {
    const text = k === 'cpu' ? cpuText : memoryText;
    const r = w.requests[k];
    const l = w.limits[k];
    if (r !== undefined) requests[k] = text(r);
    if (l !== undefined) limits[k] = text(l);
  }
  const missing = (['cpu', 'memory'] as const).filter((k) => w.requests[k] === undefined);
  const out: Json = {
    name: w.name,
    namespace: w.namespace,
    resources: { requests, ...(Object.keys(limits).length > 0 ? { limits } : {}) },
  };
  if (w.hostNetwork) out.hostNetwork = true;
  const strategy = updateStrategy(w);
  if (strategy) out.updateStrategy = strategy;
  const inject = w.podAnnotations[INJECT] ?? w.podLabels[INJECT];
  const annotations = {
    ...(inject !== undefined ? { [INJECT]: inject } : {}),
    ...sidecarResourceAnnotations(w),
  };
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  // Only what says which nodes run it: a DaemonSet's pods are bound to their node, nothing else places them.
  const scheduling = schedulingFields(w, nodeLabels, path, notes);
  for (const k of ['nodeSelector', 'nodeAffinity', 'tolerations'])
    if (scheduling[k] !== undefined) out[k] = scheduling[k];
  notes.before(
    path,
    `${describe(w.manifest)} (${where(w.manifest.source)}): a pod on every node it selects; ` +
      `${missing.length > 0 ? `no ${missing.join(' or ')} request (nothing reserved for it); ` : ''}` +
      'its usage assumed equal to its requests: set `usage` from your metrics',
  );
  return out;
}

/** Its updateStrategy where it differs from Kubernetes' default (RollingUpdate, maxUnavailable 1). */
function updateStrategy(w: Workload): Json | undefined {
  const out: Json = {};
  if (w.strategy.type === 'OnDelete') out.type = 'OnDelete';
  if (w.strategy.type !== 'OnDelete') {
    const surge = intOrPercent(w.strategy.maxSurge);
    const unavailable = intOrPercent(w.strategy.maxUnavailable);
    if (surge !== undefined) out.maxSurge = surge;
    if (unavailable !== undefined) out.maxUnavailable = unavailable;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Writes `daemonSets` into the scenario's cluster, unless the --calls file gives the cluster (`given`):
 * then they are only named.
 */
export function importDaemonSets(
  workloads: readonly Workload[],
  raw: Json,
  nodeLabels: Record<string, string>[],
  given: boolean,
  notes: Notes,
): void {
  if (workloads.length === 0) return;
  if (given) {
    for (const w of workloads)
      notes.header.push(
        `read, not used: ${describe(w.manifest)} (${where(w.manifest.source)}) (cluster comes from the --calls file)`,
      );
    return;
  }
  const sorted = [...workloads].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
  obj(raw.cluster).daemonSets = sorted.map((w, i) =>
    daemonSet(w, ['cluster', 'daemonSets', i], nodeLabels, notes),
  );
}

/** What the DaemonSets request on a node that runs them all (for sizing an assumed node pool). */
export function daemonSetRequests(workloads: readonly Workload[]): {
  cpu: number;
  memory: number;
  pods: number;
} {
  let cpu = 0;
  let memory = 0;
  for (const w of workloads) {
    cpu += w.requests.cpu ?? 0;
    memory += w.requests.memory ?? 0;
  }
  return { cpu, memory, pods: workloads.length };
}
