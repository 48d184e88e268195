// Deployments, StatefulSets and DaemonSets as the import and the checks see them: the pod template's
// labels, effective requests and limits, probes, ports and rollout settings.
import { parseCpu, parseMemory } from '../scenario/index.ts';
import { arr, isObj, type Json, num, obj, objs, str, stringMap } from './fields.ts';
import type { Manifest } from './manifest.ts';
import { namespaceOf } from './manifest.ts';
import { type PlacementRules, placementRules } from './placement-rules.ts';

/** spec.replicas is an int32 in the Kubernetes API. */
const INT32_MAX = 2 ** 31 - 1;

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface Probe {
  container: string;
  type: 'liveness' | 'readiness' | 'startup';
  handler: 'httpGet' | 'tcpSocket' | 'grpc' | 'exec' | 'none';
  port?: number | string;
}

export interface ContainerPort {
  container: string;
  port: number;
  protocol: string;
  name?: string;
}

export interface Quantity {
  cpu?: number;
  memory?: number;
}

export interface Workload {
  manifest: Manifest;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** spec.replicas; Kubernetes' default 1 when absent (undefined for a DaemonSet: one per node). */
  replicas?: number;
  replicasWritten: boolean;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** Effective pod requests; a field is undefined when no container requests it. */
  requests: Quantity;
  /** Containers (app and native sidecar) that request no CPU or no memory. */
  missingRequests: string[];
  /** Pod limits, only when every container sets that limit (else the pod is unbounded). */
  limits: Quantity;
  initContainers: string[];
  /** Init containers with restartPolicy: Always (Kubernetes native sidecars). */
  nativeSidecars: string[];
  containers: string[];
  probes: Probe[];
  ports: ContainerPort[];
  terminationGracePeriodSeconds?: number;
  /** Deployment strategy / StatefulSet and DaemonSet updateStrategy. */
  strategy: { type: string; maxSurge?: string; maxUnavailable?: string };
  nodeSelector: Record<string, string>;
  /** Its tolerations as the scenario writes them (tolerationSeconds dropped). */
  tolerations: Json[];
  /** Its anti-affinity and spread over its own pods, and what else it sets (placement-rules.ts). */
  placement: PlacementRules;
  priorityClassName?: string;
  hostNetwork: boolean;
  /** Environment values and arguments, for --infer-calls. */
  hints: Array<{ container: string; source: string; value: string }>;
  /** Quantities that could not be parsed (reported, then treated as absent). */
  badQuantities: string[];
}

function quantity(
  v: unknown,
  parse: (x: string | number) => number,
  bad: string[],
  what: string,
): number | undefined {
  const s = typeof v === 'number' ? v : str(v);
  if (s === undefined) return undefined;
  try {
    return parse(s);
  } catch {
    bad.push(`${what}: ${String(s)}`);
    return undefined;
  }
}

function containerResources(c: Json, bad: string[]) {
  const name = str(c.name) ?? '?';
  const res = obj(c.resources);
  const rq = obj(res.requests);
  const lm = obj(res.limits);
  const limits = {
    cpu: quantity(lm.cpu, parseCpu, bad, `${name} limits.cpu`),
    memory: quantity(lm.memory, parseMemory, bad, `${name} limits.memory`),
  };
  // Kubernetes copies a limit into an absent request (kubernetes.io/docs/concepts/configuration/
  // manage-resources-containers/: "If you specify a limit ... and do not specify a request, Kubernetes
  // automatically assigns a request that matches the limit").
  const requests = {
    cpu: quantity(rq.cpu, parseCpu, bad, `${name} requests.cpu`) ?? limits.cpu,
    memory: quantity(rq.memory, parseMemory, bad, `${name} requests.memory`) ?? limits.memory,
  };
  return { name, requests, limits };
}

function add(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : a + b;
}

function max(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function probesOf(c: Json, container: string): Probe[] {
  const out: Probe[] = [];
  for (const type of ['liveness', 'readiness', 'startup'] as const) {
    const p = c[`${type}Probe`];
    if (!isObj(p)) continue;
    const handler = (['httpGet', 'tcpSocket', 'grpc', 'exec'] as const).find((h) => isObj(p[h])) ?? 'none';
    const h = obj(p[handler]);
    const port = num(h.port) ?? str(h.port);
    out.push({ container, type, handler, ...(port !== undefined ? { port } : {}) });
  }
  return out;
}

export function readWorkload(m: Manifest): Workload {
  const spec = obj(m.body.spec);
  const template = obj(spec.template);
  const tmeta = obj(template.metadata);
  const pod = obj(template.spec);
  const bad: string[] = [];
  const app = objs(pod.containers);
  const inits = objs(pod.initContainers);
  const sidecars = inits.filter((c) => str(c.restartPolicy) === 'Always');
  const plainInits = inits.filter((c) => str(c.restartPolicy) !== 'Always');
  const running = [...app, ...sidecars].map((c) => containerResources(c, bad));
  // Effective pod request: the larger of (app containers + native sidecars) and the largest plain init
  // container (kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers,
  // and KEP-753 for sidecars, which keep running and so add up).
  let requests: Quantity = {};
  for (const r of running)
    requests = { cpu: add(requests.cpu, r.requests.cpu), memory: add(requests.memory, r.requests.memory) };
  for (const r of plainInits.map((c) => containerResources(c, bad)))
    requests = { cpu: max(requests.cpu, r.requests.cpu), memory: max(requests.memory, r.requests.memory) };
  const everyLimit = (k: 'cpu' | 'memory') =>
    running.every((r) => r.limits[k] !== undefined)
      ? running.reduce((s, r) => s + (r.limits[k] ?? 0), 0)
      : undefined;
  const missingRequests = running
    .filter((r) => r.requests.cpu === undefined || r.requests.memory === undefined)
    .map((r) => r.name);
  const kind = m.kind as WorkloadKind;
  const strategyRaw = obj(kind === 'Deployment' ? spec.strategy : spec.updateStrategy);
  const rolling = obj(strategyRaw.rollingUpdate);
  const defaultType = kind === 'Deployment' ? 'RollingUpdate' : 'RollingUpdate';
  const hints: Workload['hints'] = [];
  for (const c of [...inits, ...app]) {
    const cname = str(c.name) ?? '?';
    for (const e of objs(c.env)) {
      const v = str(e.value);
      if (v !== undefined) hints.push({ container: cname, source: `env ${str(e.name) ?? '?'}`, value: v });
    }
    for (const [i, a] of [...arr(c.command), ...arr(c.args)].entries()) {
      const v = str(a);
      if (v !== undefined) hints.push({ container: cname, source: `arg ${i}`, value: v });
    }
  }
  const written = num(spec.replicas);
  // A count the API server would reject (negative, fractional, beyond int32) is reported and left at the default.
  const replicasRaw =
    written !== undefined && Number.isInteger(written) && written >= 0 && written <= INT32_MAX
      ? written
      : undefined;
  if (written !== undefined && replicasRaw === undefined) bad.push(`spec.replicas: ${written}`);
  return {
    manifest: m,
    kind,
    name: m.name,
    namespace: namespaceOf(m),
    ...(kind === 'DaemonSet' ? {} : { replicas: replicasRaw ?? 1 }),
    replicasWritten: replicasRaw !== undefined,
    podLabels: stringMap(tmeta.labels),
    podAnnotations: stringMap(tmeta.annotations),
    requests,
    missingRequests,
    limits: { cpu: everyLimit('cpu'), memory: everyLimit('memory') },
    initContainers: plainInits.map((c) => str(c.name) ?? '?'),
    nativeSidecars: sidecars.map((c) => str(c.name) ?? '?'),
    containers: app.map((c) => str(c.name) ?? '?'),
    probes: [...inits, ...app].flatMap((c) => probesOf(c, str(c.name) ?? '?')),
    ports: [...sidecars, ...app].flatMap((c) =>
      objs(c.ports).flatMap((p) => {
        const port = num(p.containerPort);
        if (port === undefined) return [];
        const name = str(p.name);
        return [
          {
            container: str(c.name) ?? '?',
            port,
            protocol: str(p.protocol) ?? 'TCP',
            ...(name ? { name } : {}),
          },
        ];
      }),
    ),
    ...(num(pod.terminationGracePeriodSeconds) !== undefined
      ? { terminationGracePeriodSeconds: num(pod.terminationGracePeriodSeconds)! }
      : {}),
    strategy: {
      type: str(strategyRaw.type) ?? defaultType,
      ...(str(rolling.maxSurge) !== undefined ? { maxSurge: str(rolling.maxSurge)! } : {}),
      ...(str(rolling.maxUnavailable) !== undefined ? { maxUnavailable: str(rolling.maxUnavailable)! } : {}),
    },
    nodeSelector: stringMap(pod.nodeSelector),
    tolerations: tolerationsOf(pod),
    placement: placementRules(pod, stringMap(tmeta.labels)),
    ...(str(pod.priorityClassName) ? { priorityClassName: str(pod.priorityClassName)! } : {}),
    hostNetwork: pod.hostNetwork === true,
    hints,
    badQuantities: bad,
  };
}

const EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A pod spec's tolerations (core/v1 Toleration) in the scenario's form; ones it cannot say are dropped. */
function tolerationsOf(pod: Json): Json[] {
  return objs(pod.tolerations).flatMap((t) => {
    const operator = str(t.operator) ?? 'Equal';
    const effect = str(t.effect);
    if (
      (operator !== 'Equal' && operator !== 'Exists') ||
      (effect !== undefined && !EFFECTS.includes(effect))
    )
      return [];
    const key = str(t.key);
    const value = str(t.value);
    return [
      {
        ...(key ? { key } : {}),
        operator,
        ...(value !== undefined && operator === 'Equal' ? { value } : {}),
        ...(effect ? { effect } : {}),
      },
    ];
  });
}
