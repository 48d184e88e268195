// A HorizontalPodAutoscaler as the scenario's `autoscaling` (docs/scenario-format.md): its bounds, its CPU
// utilisation target and its scaling behaviour. meshsim's controller scales on CPU utilisation alone, so
// an HPA that scales on nothing else is imported whole; one with other metrics keeps its CPU target and
// says what is not modelled; one without a CPU utilisation target is not imported (the workload keeps a
// fixed count, as before).
import { AUTOSCALING_LIMITS } from '../scenario/index.ts';
import { type Json, num, obj, objs, str } from './fields.ts';

/**
 * What autoscaling/v2 sets when an HPA lists no metrics, and autoscaling/v1 when it has no
 * targetCPUUtilizationPercentage: 80 % CPU (kubernetes v1.31 pkg/apis/autoscaling/annotations.go,
 * DefaultCPUUtilization, "used by both the v2beta1 defaulting logic, and the pseudo-defaulting done in v1
 * conversion"; pkg/apis/autoscaling/v2/defaults.go, SetDefaults_HorizontalPodAutoscaler).
 */
const DEFAULT_CPU_UTILIZATION = 80;
const {
  target: MAX_TARGET,
  stabilization: MAX_STABILIZATION,
  policyPeriod: MAX_POLICY_PERIOD,
  policyValue: MAX_POLICY_VALUE,
} = AUTOSCALING_LIMITS;

export interface ImportedHpa {
  /** The scenario's `autoscaling` block, or null when the HPA cannot be modelled. */
  autoscaling: Json | null;
  /** Why some of it, or all of it, is not modelled (one line each). */
  dropped: string[];
}

/** Istio's sidecar container (istio/istio 1.28.0 manifests/charts/istio-control/istio-discovery/files/injection-template.yaml). */
const SIDECAR_CONTAINER = 'istio-proxy';

/**
 * The CPU utilisation target of an HPA's spec, and the container of a ContainerResource metric (its
 * application's for any other name than istio-proxy); the first CPU utilisation metric is kept, the rest
 * noted in `dropped`. A gateway's pods are one Envoy (`oneContainer`): its istio-proxy metric is theirs.
 */
function cpuTarget(
  spec: Json,
  apiVersion: string,
  dropped: string[],
  oneContainer: boolean,
): { target: number; container?: 'application' | 'istio-proxy' } | null {
  if (apiVersion === 'autoscaling/v1')
    return { target: num(spec.targetCPUUtilizationPercentage) ?? DEFAULT_CPU_UTILIZATION };
  const metrics = objs(spec.metrics);
  if (metrics.length === 0) return { target: DEFAULT_CPU_UTILIZATION };
  let out: { target: number; container?: 'application' | 'istio-proxy' } | null = null;
  for (const m of metrics) {
    const type = str(m.type) ?? '?';
    // a Resource or ContainerResource metric names its resource and target type; others, just their type
    const source =
      type === 'Resource' ? m.resource : type === 'ContainerResource' ? m.containerResource : undefined;
    const name = str(obj(source).name);
    const t = obj(obj(source).target);
    const utilization = num(t.averageUtilization);
    const cpu = name === 'cpu' && str(t.type) === 'Utilization' && utilization !== undefined;
    const container = str(obj(source).container);
    if (out === null && cpu && type === 'Resource') {
      out = { target: utilization };
      continue;
    }
    if (out === null && cpu && type === 'ContainerResource' && container) {
      const sidecar = container === SIDECAR_CONTAINER;
      if (oneContainer && sidecar) out = { target: utilization };
      else if (!oneContainer) {
        out = { target: utilization, container: sidecar ? 'istio-proxy' : 'application' };
        if (!sidecar) dropped.push(`container ${container} taken as the application's containers`);
      } else
        dropped.push(`ContainerResource cpu of container ${container} (the gateway runs istio-proxy only)`);
      if (out) continue;
    }
    const what = source ? `${type} ${name ?? '?'} ${str(t.type) ?? '?'}` : `${type} metric`;
    dropped.push(
      `${what} (meshsim's controller scales on one CPU utilisation metric: the pods', or one container's)`,
    );
  }
  return out;
}

function duration(seconds: unknown, max: number, field: string, dropped: string[]): string | undefined {
  const s = num(seconds);
  if (s === undefined) return undefined;
  if (!(s >= 0 && s <= max && Number.isInteger(s))) {
    dropped.push(`${field} ${s} (expected whole seconds from 0 to ${max}; the default kept)`);
    return undefined;
  }
  return `${s}s`;
}

function rules(raw: unknown, which: 'scaleUp' | 'scaleDown', dropped: string[]): Json | undefined {
  const r = obj(raw);
  if (Object.keys(r).length === 0) return undefined;
  const out: Json = {};
  const window = duration(
    r.stabilizationWindowSeconds,
    MAX_STABILIZATION,
    `${which}.stabilizationWindowSeconds`,
    dropped,
  );
  if (window !== undefined) out.stabilizationWindow = window;
  const select = str(r.selectPolicy);
  if (select === 'Max' || select === 'Min' || select === 'Disabled') out.selectPolicy = select;
  else if (select !== undefined)
    dropped.push(`${which}.selectPolicy ${select} (expected Max, Min or Disabled)`);
  const policies: Json[] = [];
  for (const p of objs(r.policies)) {
    const type = str(p.type);
    const value = num(p.value);
    const period = duration(p.periodSeconds, MAX_POLICY_PERIOD, `${which} policy periodSeconds`, dropped);
    if (
      (type === 'Pods' || type === 'Percent') &&
      value !== undefined &&
      Number.isInteger(value) &&
      value >= 1 &&
      value <= MAX_POLICY_VALUE &&
      period !== undefined &&
      period !== '0s'
    )
      policies.push({ type, value, period });
    else
      dropped.push(
        `${which} policy ${JSON.stringify(p)} (expected Pods or Percent, a value >= 1, 1-${MAX_POLICY_PERIOD} s)`,
      );
  }
  if (policies.length > 0) out.policies = policies;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The scenario's `autoscaling` for `hpa` (its manifest body), with what could not be carried over. */
export function importHpa(hpa: Json, oneContainer = false): ImportedHpa {
  const spec = obj(hpa.spec);
  const dropped: string[] = [];
  const metric = cpuTarget(spec, str(hpa.apiVersion) ?? 'autoscaling/v2', dropped, oneContainer);
  const target = metric?.target ?? null;
  const max = num(spec.maxReplicas) ?? 0;
  const maxValid = Number.isInteger(max) && max >= 1;
  if (!maxValid) dropped.push('no valid spec.maxReplicas');
  if (target === null) dropped.push('no CPU utilisation target to scale on');
  if (target === null || !maxValid) return { autoscaling: null, dropped };
  if (!(Number.isInteger(target) && target >= 1 && target <= MAX_TARGET)) {
    dropped.push(`CPU averageUtilization ${target} (expected 1 to ${MAX_TARGET} %)`);
    return { autoscaling: null, dropped };
  }
  const min = num(spec.minReplicas);
  const out: Json = {};
  if (min !== undefined && Number.isInteger(min) && min >= 1 && min <= max) out.minReplicas = min;
  else if (min !== undefined) dropped.push(`minReplicas ${min} (expected 1 to maxReplicas; 1 used)`);
  out.maxReplicas = max;
  out.targetCPUUtilization = target;
  if (metric?.container) out.container = metric.container;
  const behavior = obj(spec.behavior);
  const up = rules(behavior.scaleUp, 'scaleUp', dropped);
  if (up) out.scaleUp = up;
  const down = rules(behavior.scaleDown, 'scaleDown', dropped);
  if (down) out.scaleDown = down;
  return { autoscaling: out, dropped };
}
