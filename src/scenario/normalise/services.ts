// Services with their defaults filled and their calls resolved to service keys.

import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CPU_FRACTION,
  DEFAULT_SERVICE_RESOURCES,
  DEFAULT_SERVICE_TIME,
} from '../assumptions.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import { EXPORT_TO_EXPECTED, isExportToEntry } from '../schema/sidecar-scope.ts';
import type { Call, MeshSettings, Service, Waypoint } from '../types.ts';
import { normaliseAutoscaling } from './autoscaling.ts';
import { mergeResources } from './merge.ts';
import { INGRESS_USE_WAYPOINT, USE_WAYPOINT } from './namespaces.ts';
import { annotatedConcurrency } from './proxy-config.ts';
import type { ServiceIndex } from './resolve.ts';
import { normaliseScheduling } from './scheduling.ts';
import { annotatedSidecarResources } from './sidecar-resources.ts';
import { normaliseTrafficPolicy } from './traffic-policy.ts';
import { normaliseRoutes, normaliseVersions } from './versions.ts';
import { normaliseWire } from './wire.ts';

type RawService = RawScenario['services'][number];
type RawCall = NonNullable<RawService['calls']>[number];

const INJECT = 'sidecar.istio.io/inject';
// istio/istio 1.28.0 pilot/pkg/serviceregistry/kube/conversion.go ConvertService: the annotation's
// comma-separated entries, each trimmed; an empty value is no annotation.
const EXPORT_TO = 'networking.istio.io/exportTo';

/**
 * Whether a workload's pods take a sidecar where their namespace injects: the annotation is the
 * documented switch; the label of the same name is honoured too, as Istio does.
 */
export function injects(
  annotations: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return (annotations?.[INJECT] ?? labels[INJECT]) !== 'false';
}

export function serviceKey(s: { name: string; namespace: string }): string {
  return `${s.namespace}/${s.name}`;
}

export function call(
  raw: RawCall,
  at: PropertyKey[],
  from: string,
  index: ServiceIndex,
  problems: Problems,
): Call {
  const target = index.resolve(raw.to, from);
  if ('expected' in target) problems.add([...at, 'to'], target.expected, { candidates: target.candidates });
  if (raw.count !== undefined && raw.probability !== undefined) {
    problems.add([...at, 'probability'], 'either count or probability, not both', { atKey: true });
  }
  return {
    to: 'key' in target ? target.key : raw.to,
    count: raw.probability ?? raw.count ?? 1,
    mode: raw.mode,
    ...normaliseWire(raw),
  };
}

function service(
  raw: RawService,
  at: PropertyKey[],
  ctx: { index: ServiceIndex; waypoints: Waypoint[]; mesh: MeshSettings; problems: Problems },
): Service {
  const { problems } = ctx;
  const calls = (raw.calls ?? []).map((c, j) =>
    call(c, [...at, 'calls', j], raw.namespace, ctx.index, problems),
  );
  const versions = raw.versions
    ? normaliseVersions(raw, at, { ...ctx, from: raw.namespace, call }, calls)
    : undefined;
  const replicas = versions ? versions.reduce((n, v) => n + v.replicas, 0) : (raw.replicas ?? 1);
  if (raw.sidecarPods > replicas)
    problems.add([...at, 'sidecarPods'], `an integer from 0 to replicas (${replicas})`);
  const labels = raw.labels ?? {};
  const useWaypoint = labels[USE_WAYPOINT];
  const waypointNames = ctx.waypoints.map((w) => w.name);
  if (useWaypoint !== undefined && useWaypoint !== 'none' && !waypointNames.includes(useWaypoint)) {
    problems.add([...at, 'labels', USE_WAYPOINT], 'the name of a declared waypoint', {
      candidates: waypointNames,
    });
  }
  const inject = injects(raw.annotations, labels);
  const out: Service = {
    key: serviceKey(raw),
    name: raw.name,
    namespace: raw.namespace,
    replicas,
    resources: mergeResources(DEFAULT_SERVICE_RESOURCES, raw.resources),
    concurrency: raw.concurrency ?? DEFAULT_CONCURRENCY,
    serviceTime: structuredClone(raw.serviceTime ?? DEFAULT_SERVICE_TIME),
    cpuFraction: raw.cpuFraction ?? DEFAULT_CPU_FRACTION,
    calls,
    sidecarPods: raw.sidecarPods,
    inject,
    sidecarScope: structuredClone(raw.sidecarScope ?? ctx.mesh.sidecar.scope),
  };
  const sidecarResources = annotatedSidecarResources(raw.annotations, at, problems);
  if (sidecarResources) out.sidecarResources = sidecarResources;
  const sidecarWorkers = annotatedConcurrency(raw.annotations, at, problems);
  if (sidecarWorkers !== undefined) out.sidecarWorkers = sidecarWorkers;
  const exportTo = raw.annotations?.[EXPORT_TO];
  if (exportTo) {
    out.exportTo = exportTo.split(',').map((x) => x.trim());
    const bad = out.exportTo.find((x) => !isExportToEntry(x));
    if (bad !== undefined)
      problems.add([...at, 'annotations', EXPORT_TO], `comma-separated entries, each ${EXPORT_TO_EXPECTED}`);
  }
  // `none` opts the service out of its namespace's waypoint; kept so later stages can tell it from unset.
  if (useWaypoint !== undefined) out.useWaypoint = useWaypoint;
  if (versions) out.versions = versions;
  if (raw.routes)
    out.routes = normaliseRoutes(raw.routes, [...at, 'routes'], { ...ctx, from: raw.namespace, call });
  if (labels[INGRESS_USE_WAYPOINT] !== undefined) out.ingressUseWaypoint = labels[INGRESS_USE_WAYPOINT];
  if (raw.trafficDistribution) out.trafficDistribution = raw.trafficDistribution;
  if (raw.internalTrafficPolicy === 'Local') out.internalTrafficPolicy = 'Local';
  if (raw.headless) {
    out.headless = true;
    headlessConflicts(raw, at, problems);
  }
  if (raw.trafficPolicy) out.trafficPolicy = normaliseTrafficPolicy(raw.trafficPolicy);
  if (raw.mtls) out.mtls = raw.mtls;
  if (raw.outboundTrafficPolicy) out.outboundTrafficPolicy = raw.outboundTrafficPolicy;
  const budget = raw.disruptionBudget;
  if (budget) {
    // policy/v1 validation: exactly one of the two (pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec).
    if ((budget.minAvailable === undefined) === (budget.maxUnavailable === undefined))
      problems.add([...at, 'disruptionBudget'], 'exactly one of minAvailable and maxUnavailable');
    out.disruptionBudget =
      budget.minAvailable !== undefined
        ? { minAvailable: budget.minAvailable }
        : { maxUnavailable: budget.maxUnavailable! };
  }
  const autoscaling = normaliseAutoscaling(raw.autoscaling, [...at, 'autoscaling'], problems);
  if (autoscaling) out.autoscaling = autoscaling;
  const scheduling = normaliseScheduling(raw);
  if (scheduling) out.scheduling = scheduling;
  return out;
}

/**
 * What a headless Service cannot use: nothing balances its calls but the caller's application, which
 * connects to a pod its DNS answer names. CoreDNS answers every ready pod (kubernetes/dns
 * specification, "Headless Services"), whatever trafficDistribution or internalTrafficPolicy say (both
 * steer kube-proxy's ClusterIP rules, and there is no ClusterIP); a sidecar's cluster for it is
 * ORIGINAL_DST, so a weighted route's subsets all reach the pod the application dialled (istio/istio
 * 1.28.0 pilot/pkg/networking/core/cluster.go convertResolution: Passthrough -> ORIGINAL_DST).
 */
function headlessConflicts(raw: RawService, at: PropertyKey[], problems: Problems): void {
  const nothing = 'nothing on a headless Service (its callers connect to the pods DNS names)';
  if (raw.trafficDistribution) problems.add([...at, 'trafficDistribution'], nothing);
  if (raw.internalTrafficPolicy === 'Local')
    problems.add([...at, 'internalTrafficPolicy'], `Cluster or ${nothing}`);
  const weighted = raw.versions?.findIndex((v) => v.weight !== undefined) ?? -1;
  if (weighted >= 0)
    problems.add(
      [...at, 'versions', weighted, 'weight'],
      'no weight on a headless Service (a sidecar sends each request to the pod its caller dialled)',
    );
}

export function normaliseServices(
  raw: RawScenario,
  ctx: { index: ServiceIndex; waypoints: Waypoint[]; mesh: MeshSettings; problems: Problems },
): Service[] {
  const seen = new Set<string>();
  return raw.services.map((s, i) => {
    const at = ['services', i];
    const key = serviceKey(s);
    if (seen.has(key))
      ctx.problems.add([...at, 'name'], `a service name not used before in namespace ${s.namespace}`);
    seen.add(key);
    return service(s, at, ctx);
  });
}
