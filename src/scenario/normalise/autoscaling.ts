// HPA settings with Kubernetes' defaults filled (scenario/autoscaling.ts) and their bounds checked, each
// problem at its own field.
import { defaultAutoscaling, ISTIOD_AUTOSCALING } from '../autoscaling.ts';
import type { Problems } from '../pending.ts';
import { LIMITS } from '../schema/autoscaling.ts';
import type { RawScenario } from '../schema/index.ts';
import type { Autoscaling, ScalingRules } from '../types.ts';

type RawAutoscaling = NonNullable<RawScenario['services'][number]['autoscaling']>;
type RawIstiod = NonNullable<NonNullable<NonNullable<RawScenario['mesh']>['istiod']>['autoscaling']>;
type RawRules = NonNullable<RawAutoscaling['scaleUp']>;

/** autoscaling/v2 defaults a target of 80 % CPU when no metric is given (pkg/apis/autoscaling/v2/defaults.go). */
const DEFAULT_TARGET = 80;

function rules(base: ScalingRules, raw: RawRules | undefined, at: PropertyKey[], p: Problems): ScalingRules {
  const out = structuredClone(base);
  if (!raw) return out;
  if (raw.stabilizationWindow !== undefined) {
    if (raw.stabilizationWindow > LIMITS.stabilization)
      p.add([...at, 'stabilizationWindow'], `a duration from 0s to ${LIMITS.stabilization}s`);
    out.stabilizationWindow = raw.stabilizationWindow;
  }
  if (raw.selectPolicy) out.selectPolicy = raw.selectPolicy;
  if (raw.policies) {
    raw.policies.forEach((x, i) => {
      if (x.period > LIMITS.policyPeriod)
        p.add([...at, 'policies', i, 'period'], `a duration from 1s to ${LIMITS.policyPeriod}s`);
    });
    out.policies = raw.policies.map((x) => ({ type: x.type, value: x.value, period: x.period }));
  }
  return out;
}

function fill(
  raw: Omit<RawAutoscaling, 'maxReplicas'>,
  min: number,
  max: number,
  target: number,
  at: PropertyKey[],
  p: Problems,
): Autoscaling {
  const a = defaultAutoscaling(min, max, target);
  if (max < min) p.add([...at, 'maxReplicas'], `an integer >= minReplicas (${min})`);
  if (raw.syncPeriod !== undefined) a.syncPeriod = raw.syncPeriod;
  if (raw.tolerance !== undefined) a.tolerance = raw.tolerance;
  if (raw.metricsWindow !== undefined) a.metricsWindow = raw.metricsWindow;
  a.scaleUp = rules(a.scaleUp, raw.scaleUp, [...at, 'scaleUp'], p);
  a.scaleDown = rules(a.scaleDown, raw.scaleDown, [...at, 'scaleDown'], p);
  return a;
}

/** A service's or waypoint's HPA (undefined when it has none). */
export function normaliseAutoscaling(
  raw: RawAutoscaling | undefined,
  at: PropertyKey[],
  p: Problems,
): Autoscaling | undefined {
  if (!raw) return undefined;
  const min = raw.minReplicas ?? 1;
  const a = fill(raw, min, raw.maxReplicas, raw.targetCPUUtilization ?? DEFAULT_TARGET, at, p);
  if ('container' in raw && raw.container) a.container = raw.container;
  return a;
}

/** istiod's HPA: the chart's unless the scenario changes or disables it. */
export function normaliseIstiodAutoscaling(raw: RawIstiod | undefined, p: Problems): Autoscaling | null {
  const d = ISTIOD_AUTOSCALING;
  if (!(raw?.enabled ?? d.enabled)) return null;
  const at = ['mesh', 'istiod', 'autoscaling'];
  const min = raw?.minReplicas ?? d.minReplicas;
  const max = raw?.maxReplicas ?? d.maxReplicas;
  return fill(raw ?? {}, min, max, raw?.targetCPUUtilization ?? d.targetCPUUtilization, at, p);
}
