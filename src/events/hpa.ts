// The HorizontalPodAutoscaler's arithmetic, as kube-controller-manager does it (kubernetes/kubernetes
// v1.31.0, pkg/controller/podautoscaler): the replica count a CPU metric asks for (replica_calculator.go
// GetResourceReplicas), then stabilisation over past recommendations and the scaling policies' rate
// limits (horizontal.go stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate,
// calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors). Pure: the controller in
// autoscale.ts feeds it what the simulation measured.
import type { Autoscaling, ScalingRules } from '../scenario/index.ts';

/** One pod's CPU metric: cores used over the metric window, its summed requests, and whether it counts. */
export interface PodMetric {
  cores: number;
  request: number;
  /** Not ready, or ready too recently for its metric to be trusted (counted as 0 on a scale-up). */
  unready: boolean;
}

/** Sum of usage over sum of requests of the pods with metrics, over the target (both as fractions). */
function usageRatio(pods: PodMetric[], target: number): number {
  let used = 0;
  let requested = 0;
  for (const p of pods) {
    used += p.cores;
    requested += p.request;
  }
  return requested > 0 ? used / requested / target : 0;
}

/**
 * The replicas the CPU metric asks for, from `current` (spec.replicas) and the metrics of the pods that
 * run (Pending and terminating ones are left out by the caller: groupPods ignores them). Returns
 * `current` when no pod has a metric (the controller then reports an error and does not scale).
 * Within the tolerance nothing changes; unready pods are ignored, except that a scale-up counts them
 * at 0 use, and does not happen if that takes the ratio back within tolerance or across 1.
 */
export function metricReplicas(
  current: number,
  pods: PodMetric[],
  targetPercent: number,
  tolerance: number,
): number {
  const target = targetPercent / 100;
  const ready = pods.filter((p) => !p.unready);
  if (ready.length === 0) return current;
  const ratio = usageRatio(ready, target);
  const unready = pods.length - ready.length;
  const within = (r: number) => Math.abs(1 - r) <= tolerance;
  if (unready === 0 || ratio <= 1) {
    if (within(ratio)) return current;
    return Math.ceil(ratio * ready.length);
  }
  const withUnready = pods.map((p) => (p.unready ? { ...p, cores: 0 } : p));
  const next = usageRatio(withUnready, target);
  if (within(next) || next < 1) return current;
  const replicas = Math.ceil(next * withUnready.length);
  return Math.max(replicas, current);
}

export interface TimedReplicas {
  at: number;
  replicas: number;
}

/**
 * Stabilisation: the recommendation stays within the lowest recommendation of the scale-up window and
 * the highest of the scale-down window (both including this one), starting from `current`.
 */
export function stabilise(
  current: number,
  desired: number,
  past: readonly TimedReplicas[],
  now: number,
  a: Autoscaling,
): number {
  let up = desired;
  let down = desired;
  const upCutoff = now - a.scaleUp.stabilizationWindow;
  const downCutoff = now - a.scaleDown.stabilizationWindow;
  for (const r of past) {
    if (r.at > upCutoff) up = Math.min(up, r.replicas);
    if (r.at > downCutoff) down = Math.max(down, r.replicas);
  }
  let rec = current;
  if (rec < up) rec = up;
  if (rec > down) rec = down;
  return rec;
}

/** Replicas added (or removed) by scale events within the last `period` seconds. */
function changedWithin(period: number, events: readonly TimedReplicas[], now: number): number {
  let n = 0;
  for (const e of events) if (e.at > now - period) n += e.replicas;
  return n;
}

export function scaleUpLimit(
  current: number,
  ups: readonly TimedReplicas[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const p of rules.policies) {
    const start = current - changedWithin(p.period, ups, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export function scaleDownLimit(
  current: number,
  downs: readonly TimedReplicas[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const p of rules.policies) {
    const start = current + changedWithin(p.period, downs, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** The rate limits and min/max bounds applied to a stabilised recommendation. */
export function limitRate(
  current: number,
  desired: number,
  ups: readonly TimedReplicas[],
  downs: readonly TimedReplicas[],
  now: number,
  a: Autoscaling,
): number {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, ups, a.scaleUp, now));
    return Math.min(desired, a.maxReplicas, limit);
  }
  if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, downs, a.scaleDown, now));
    return Math.max(desired, a.minReplicas, limit);
  }
  return desired;
}

/** What an HPA remembers between syncs: its recommendations and the scale events it made. */
export class HpaState {
  readonly recommendations: TimedReplicas[] = [];
  readonly ups: TimedReplicas[] = [];
  readonly downs: TimedReplicas[] = [];
  private readonly a: Autoscaling;

  /**
   * The run starts from a steady state: the HPA has been recommending the starting count until `now`,
   * so a load step at the start waits out the stabilisation windows as it would mid-day (A).
   */
  constructor(a: Autoscaling, start: number, now: number) {
    this.a = a;
    this.recommendations.push({ at: now, replicas: start });
  }

  /** One sync: the new spec.replicas, from the current one and what the metric asks for. */
  sync(current: number, metric: number, now: number): number {
    const a = this.a;
    let next: number;
    // reconcileAutoscaler: outside [min, max] the count is brought back first, metrics unread.
    if (current > a.maxReplicas) next = a.maxReplicas;
    else if (current < a.minReplicas) next = a.minReplicas;
    else {
      const stable = stabilise(current, metric, this.recommendations, now, a);
      this.remember(metric, now);
      next = limitRate(current, stable, this.ups, this.downs, now, a);
    }
    if (next > current) this.ups.push({ at: now, replicas: next - current });
    else if (next < current) this.downs.push({ at: now, replicas: current - next });
    this.forget(now);
    return next;
  }

  private remember(replicas: number, now: number): void {
    this.recommendations.push({ at: now, replicas });
  }

  /** Drops what no window or policy period can reach any more (the controller replaces its oldest sample). */
  private forget(now: number): void {
    const a = this.a;
    const keep = Math.max(a.scaleUp.stabilizationWindow, a.scaleDown.stabilizationWindow);
    const periods = [...a.scaleUp.policies, ...a.scaleDown.policies].reduce(
      (m, p) => Math.max(m, p.period),
      0,
    );
    const drop = (list: TimedReplicas[], horizon: number) => {
      while (list.length > 0 && list[0]!.at <= now - horizon) list.shift();
    };
    drop(this.recommendations, keep);
    drop(this.ups, periods);
    drop(this.downs, periods);
  }
}
