// What a service's PodDisruptionBudget requires: the pods that must stay healthy.
import type { IntOrPercent, Service } from './types.ts';

export type DisruptionBudget = NonNullable<Service['disruptionBudget']>;

/**
 * Pods of `expected` the budget requires healthy (kubernetes/kubernetes v1.34
 * pkg/controller/disruption/disruption.go getExpectedPodCount: either value scaled rounding up;
 * maxUnavailable leaves expected less it). Evictions are allowed while more than that are healthy.
 */
export function desiredHealthy(b: DisruptionBudget, expected: number): number {
  const scaled = (v: IntOrPercent) => (v.percent ? Math.ceil((v.value / 100) * expected) : v.value);
  return b.minAvailable ? scaled(b.minAvailable) : expected - scaled(b.maxUnavailable!);
}
