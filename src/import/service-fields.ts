// One scenario service's fields from its workloads: replicas, per-pod resources, the waypoint label and
// the injection opt-out; everything else read from the pod template is written as a comment.

import { PROXY_CONFIG } from '../scenario/index.ts';
import { SCHEDULER_DEFAULT_REQUESTS } from './defaults.ts';
import { type Json, mapSelects, num, obj, str } from './fields.ts';
import { importHpa } from './hpa.ts';
import type { Inventory } from './inventory.ts';
import { where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import { proxyConfigConcurrency, SIDECAR_RESOURCE_ANNOTATIONS } from './proxy-annotations.ts';
import { schedulingFields } from './scheduling-fields.ts';
import { cpuText, type ImportedService, memoryText, serviceAnnotations } from './services.ts';
import { versionsOf } from './versions.ts';
import type { Workload } from './workload.ts';

function hpaFor(inv: Inventory, w: Workload): Json | undefined {
  return inv.of('HorizontalPodAutoscaler').find((h) => {
    const ref = obj(obj(h.body.spec).scaleTargetRef);
    return (h.namespace ?? 'default') === w.namespace && str(ref.kind) === w.kind && str(ref.name) === w.name;
  })?.body;
}

/**
 * A workload's replica count, and its HPA as the service's `autoscaling` when the service is this one
 * Deployment (the scenario's controller scales a Deployment: its scale-down ranks pods as a ReplicaSet
 * does, kubernetes v1.31 pkg/controller/replicaset; a StatefulSet removes its highest ordinal instead,
 * kubernetes.io/docs/concepts/workloads/controllers/statefulset/#deployment-and-scaling-guarantees; and one
 * service of several workloads has one HPA each).
 */
function replicasOf(
  inv: Inventory,
  w: Workload,
  alone: boolean,
  path: Path,
  notes: Notes,
): { replicas: number; autoscaling: Json | null } {
  const hpa = hpaFor(inv, w);
  if (!hpa) return { replicas: w.replicas ?? 1, autoscaling: null };
  const spec = obj(hpa.spec);
  const min = num(spec.minReplicas) ?? 1;
  const maxR = num(spec.maxReplicas);
  const name = str(obj(hpa.metadata).name) ?? '?';
  const replicas = w.replicasWritten ? (w.replicas ?? min) : min;
  const start = w.replicasWritten ? 'spec.replicas' : 'the HPA minimum';
  const imported = alone && w.kind === 'Deployment' ? importHpa(hpa) : null;
  if (imported?.autoscaling) {
    notes.before(
      path,
      `HorizontalPodAutoscaler ${name} on ${w.kind} ${w.name}: imported as autoscaling, starting from ${start}` +
        (imported.dropped.length > 0 ? `; not modelled: ${imported.dropped.join('; ')}` : ''),
    );
    return { replicas, autoscaling: imported.autoscaling };
  }
  const why = imported
    ? imported.dropped.join('; ')
    : alone
      ? `meshsim's controller scales Deployments, not a ${w.kind}`
      : 'the service has several workloads, the scenario one autoscaler per service';
  notes.before(
    path,
    `HorizontalPodAutoscaler ${name} on ${w.kind} ${w.name}: ${min}..${maxR ?? '?'} replicas, not imported (${why}); ` +
      `the scenario runs a fixed count (${start}); model a scale-out with an events: scale entry`,
  );
  return { replicas, autoscaling: null };
}

function readOnlyFacts(w: Workload, nodeLabels: Record<string, string>[]): string[] {
  const facts: string[] = [];
  if (w.probes.length > 0)
    facts.push(
      `probes ${w.probes.map((p) => `${p.type} ${p.handler}${p.port !== undefined ? ` :${p.port}` : ''}`).join(', ')}`,
    );
  if (w.initContainers.length > 0) facts.push(`init containers ${w.initContainers.join(', ')}`);
  if (w.nativeSidecars.length > 0)
    facts.push(`native sidecars ${w.nativeSidecars.join(', ')} (requests included)`);
  if (w.terminationGracePeriodSeconds !== undefined)
    facts.push(`terminationGracePeriodSeconds ${w.terminationGracePeriodSeconds}`);
  const st = w.strategy;
  if (st.type !== 'RollingUpdate' || st.maxSurge !== undefined || st.maxUnavailable !== undefined)
    facts.push(
      `${w.kind === 'Deployment' ? 'strategy' : 'updateStrategy'} ${st.type}` +
        `${st.maxSurge !== undefined ? ` maxSurge ${st.maxSurge}` : ''}${st.maxUnavailable !== undefined ? ` maxUnavailable ${st.maxUnavailable}` : ''}`,
    );
  if (
    Object.keys(w.nodeSelector).length > 0 &&
    !nodeLabels.some((labels) => mapSelects(w.nodeSelector, labels))
  )
    facts.push(
      `nodeSelector ${Object.entries(w.nodeSelector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')} (no node the import knows carries these labels: give Node objects or pools with them)`,
    );
  if (w.placement.unmodelled.length > 0) facts.push(w.placement.unmodelled.join(', '));
  if (w.priorityClassName) facts.push(`priorityClassName ${w.priorityClassName}`);
  // proxy.istio.io/config is named unless all it sets is the concurrency the service takes over.
  const onlyConcurrency = proxyConfigConcurrency(w)?.onlyConcurrency === true;
  const proxyAnn = Object.entries(w.podAnnotations).filter(
    ([k]) =>
      (k.startsWith('sidecar.istio.io/') &&
        k !== 'sidecar.istio.io/inject' &&
        !SIDECAR_RESOURCE_ANNOTATIONS.includes(k)) ||
      (k === PROXY_CONFIG && !onlyConcurrency),
  );
  if (proxyAnn.length > 0)
    facts.push(
      `${proxyAnn.map(([k, v]) => `${k}=${v.replace(/\s+/g, ' ').trim()}`).join(', ')} (per-pod proxy settings; mesh.sidecar is mesh-wide)`,
    );
  return facts;
}

/** `nodeLabels`: the label sets of the nodes the scenario will have (nodes.ts knownNodeLabels). */
export function serviceFields(
  inv: Inventory,
  s: ImportedService,
  path: Path,
  notes: Notes,
  nodeLabels: Record<string, string>[],
): Json {
  const first = s.workloads[0]!;
  const counts = s.workloads.map((w) => replicasOf(inv, w, s.workloads.length === 1, path, notes));
  const replicas = counts.reduce((n, c) => n + c.replicas, 0);
  const autoscaling = counts.length === 1 ? counts[0]!.autoscaling : null;
  if (s.workloads.length > 1)
    notes.before(
      path,
      `${s.kube ? `Service ${s.name}` : s.name} selects ${s.workloads.length} workloads (${s.workloads
        .map((w) => `${w.name} x${w.replicas ?? 1} at ${where(w.manifest.source)}`)
        .join(
          '; ',
        )}): ${versionsOf(s) ? 'modelled as its versions (pod label `version`)' : `modelled as one service of ${replicas} replicas with ${first.name}'s pod resources`}`,
    );
  else
    notes.before(
      path,
      `from ${first.kind} ${first.name} (${where(first.manifest.source)})${s.kube ? ` and Service ${s.name} (${where(s.kube.manifest.source)})` : '; no Service selects its pods, so no traffic reaches it unless --calls says so'}`,
    );
  for (const w of s.workloads) {
    const facts = readOnlyFacts(w, nodeLabels);
    if (facts.length > 0)
      notes.before(path, `${w.name}: read, not representable per service: ${facts.join('; ')}`);
    for (const b of w.badQuantities)
      notes.warnings.push(`${w.kind} ${w.namespace}/${w.name}: unparsable quantity ${b}, ignored`);
  }
  const requests: Json = {};
  const reqPath = [...path, 'resources', 'requests'];
  for (const k of ['cpu', 'memory'] as const) {
    const v = first.requests[k];
    if (v !== undefined) requests[k] = k === 'cpu' ? cpuText(v) : memoryText(v);
    else {
      requests[k] = SCHEDULER_DEFAULT_REQUESTS[k];
      notes.inline([...reqPath, k], `assumed: no ${k} request in ${first.name}; the scheduler's default`);
    }
  }
  for (const w of s.workloads)
    if (w.missingRequests.length > 0)
      notes.warnings.push(
        `${w.kind} ${w.namespace}/${w.name}: container(s) ${w.missingRequests.join(', ')} set no requests; ` +
          `the import uses the scheduler's defaults (${SCHEDULER_DEFAULT_REQUESTS.cpu} CPU, ${SCHEDULER_DEFAULT_REQUESTS.memory} memory) for what is missing`,
      );
  const limits: Json = {};
  if (first.limits.cpu !== undefined) limits.cpu = cpuText(first.limits.cpu);
  if (first.limits.memory !== undefined) limits.memory = memoryText(first.limits.memory);
  const out: Json = {
    name: s.name,
    namespace: s.namespace,
    replicas,
    resources: { requests, ...(Object.keys(limits).length > 0 ? { limits } : {}) },
    ...(autoscaling ? { autoscaling } : {}),
  };
  // The first workload's rules, as its resources: a Service over several workloads is one service here.
  Object.assign(out, schedulingFields(first, nodeLabels, path, notes));
  const annotations = serviceAnnotations(inv, s);
  if (annotations) out.annotations = annotations;
  return out;
}
