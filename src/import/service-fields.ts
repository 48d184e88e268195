// One scenario service's fields from its workloads: replicas, per-pod resources, the waypoint label and
// the injection opt-out; everything else read from the pod template is written as a comment.
import { SCHEDULER_DEFAULT_REQUESTS } from './defaults.ts';
import { type Json, num, obj, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import { cpuText, type ImportedService, memoryText, serviceAnnotations } from './services.ts';
import { versionsOf } from './versions.ts';
import type { Workload } from './workload.ts';

function hpaFor(inv: Inventory, w: Workload): Json | undefined {
  return inv.of('HorizontalPodAutoscaler').find((h) => {
    const ref = obj(obj(h.body.spec).scaleTargetRef);
    return (h.namespace ?? 'default') === w.namespace && str(ref.kind) === w.kind && str(ref.name) === w.name;
  })?.body;
}

function replicasOf(inv: Inventory, w: Workload, path: Path, notes: Notes): number {
  const hpa = hpaFor(inv, w);
  if (!hpa) return w.replicas ?? 1;
  const spec = obj(hpa.spec);
  const min = num(spec.minReplicas) ?? 1;
  const maxR = num(spec.maxReplicas);
  notes.before(
    path,
    `HorizontalPodAutoscaler on ${w.kind} ${w.name}: ${min}..${maxR ?? '?'} replicas; the scenario runs a fixed count ` +
      `(${w.replicasWritten ? 'spec.replicas' : 'the HPA minimum'}); model a scale-out with an events: scale entry`,
  );
  return w.replicasWritten ? (w.replicas ?? min) : min;
}

function readOnlyFacts(w: Workload): string[] {
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
  if (Object.keys(w.nodeSelector).length > 0)
    facts.push(
      `nodeSelector ${Object.entries(w.nodeSelector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    );
  if (w.tolerations > 0) facts.push(`${w.tolerations} toleration(s)`);
  if (w.hasAffinity) facts.push('affinity');
  if (w.priorityClassName) facts.push(`priorityClassName ${w.priorityClassName}`);
  const proxyAnn = Object.entries(w.podAnnotations).filter(
    ([k]) =>
      (k.startsWith('sidecar.istio.io/') && k !== 'sidecar.istio.io/inject') || k === 'proxy.istio.io/config',
  );
  if (proxyAnn.length > 0)
    facts.push(
      `${proxyAnn.map(([k, v]) => `${k}=${v.replace(/\s+/g, ' ').trim()}`).join(', ')} (per-pod proxy settings; mesh.sidecar is mesh-wide)`,
    );
  return facts;
}

export function serviceFields(inv: Inventory, s: ImportedService, path: Path, notes: Notes): Json {
  const first = s.workloads[0]!;
  const replicas = s.workloads.reduce((n, w) => n + replicasOf(inv, w, path, notes), 0);
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
    const facts = readOnlyFacts(w);
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
  };
  const annotations = serviceAnnotations(inv, s);
  if (annotations) out.annotations = annotations;
  return out;
}
