// Istio's locality load balancing as the balancing Envoy receives it, and Envoy's use of it. Pure
// arithmetic over localities; outliers.ts applies it per attempt.
//
// Priorities (failover): istiod gives each locality of endpoints a priority against the caller proxy's
// locality (istio/istio 1.28.0 pilot/pkg/networking/core/loadbalancer/loadbalancer.go applyLocalityFailover,
// util LbPriority): 0 same region, zone and subzone; 1 same region and zone; 2 same region; 3 elsewhere;
// and 4 elsewhere when a `failover` rule names the caller's region as `from` and the endpoint's region is
// not its `to`. The priorities present are then renumbered 0..N-1 in order. meshsim has no subzones, so a
// same-zone endpoint is priority 0. Applied only with outlier detection ("or traffic will never
// failover", applyLocalityLoadBalancer).
//
// Envoy splits load among priorities by their health: a priority's health is min(100, 140 x healthy /
// hosts) (integer percent; the default overprovisioning factor 140: envoyproxy/envoy
// source/common/upstream/upstream_impl.h kDefaultOverProvisioningFactor, which
// ClusterLoadAssignment.Policy.overprovisioning_factor overrides; Istio sets no policy: istio/istio 1.28.0
// never builds a ClusterLoadAssignment_Policy, and its config dumps show Envoy's 140), each priority in
// order takes min(what is left, health x 100 / min(100, total health)), the rounding remainder goes to
// the first priority with any health (source/extensions/load_balancing_policies/common/
// load_balancer_impl.cc recalculatePerPriorityState, distributeLoad).
//
// Weights (distribute): for the first rule whose `from` matches the caller's locality, each `to` entry
// in turn claims the localities it matches that no earlier entry claimed, and gives each the weight
// ceil(endpoints there x entry weight / endpoints of all it claimed); localities no entry claimed get no
// traffic (applyLocalityWeights). Envoy then picks a locality with probability proportional to its weight
// x min(1, 1.4 x healthy / hosts) (source/common/upstream/upstream_impl.cc
// HostSetImpl::effectiveLocalityWeight: weight x min(1.0, overprovisioning_factor / 100 x eligible /
// hosts)), and a host within it. ASSUMPTION: a weighted draw stands for
// Envoy's EDF scheduler over the localities (same long-run shares); `to` entries claim in the order
// written (Istio iterates a Go map: overlapping wildcards claim in no fixed order).

import type { LocalityDistribute, LocalityFailover } from '../../scenario/index.ts';

/** Envoy's default overprovisioning factor, in percent. */
export const OVERPROVISIONING = 140;

export interface Place {
  region: string;
  zone: string;
}

/** Istio's priority of an endpoint locality for a caller, before renumbering (0, 2, 3 or 4 here). */
export function rawPriority(caller: Place, ep: Place, failover: readonly LocalityFailover[]): number {
  if (caller.region === ep.region) return caller.zone === ep.zone ? 0 : 2;
  const rule = failover.find((f) => f.from === caller.region);
  return rule && ep.region !== rule.to ? 4 : 3;
}

/** util.LocalityMatch: `region/zone/subzone`, `*` or a missing part matching anything. */
export function localityMatch(at: Place, pattern: string): boolean {
  const [region, zone, subzone] = pattern.split('/');
  if (region !== undefined && region !== '*' && region !== at.region) return false;
  if (zone !== undefined && zone !== '*' && zone !== at.zone) return false;
  // No subzones here: only a wildcard or an empty one matches.
  return subzone === undefined || subzone === '*' || subzone === '';
}

/** Health in percent of a priority (or locality) with `healthy` of `hosts` hosts. */
export function health(healthy: number, hosts: number): number {
  return hosts > 0 ? Math.min(100, Math.floor((OVERPROVISIONING * healthy) / hosts)) : 0;
}

/** Envoy's effective locality weight: weight x min(1, overprovisioning x healthy / hosts). */
export function effective(weight: number, healthy: number, hosts: number): number {
  return hosts > 0 ? weight * Math.min(1, (OVERPROVISIONING * healthy) / (100 * hosts)) : 0;
}

/** Envoy's load per priority (percent, summing to 100), from each priority's health; all 0 if none. */
export function priorityLoads(healths: readonly number[], out: number[]): number[] {
  out.length = healths.length;
  let sum = 0;
  for (const h of healths) sum += h;
  const normalized = Math.min(100, sum);
  let left = 100;
  let first = -1;
  for (let i = 0; i < healths.length; i++) {
    const h = healths[i]!;
    if (h > 0 && first < 0) first = i;
    const load = normalized > 0 ? Math.min(left, Math.floor((h * 100) / normalized)) : 0;
    out[i] = load;
    left -= load;
  }
  if (first >= 0) out[first]! += left;
  return out;
}

/** The distribute rule for a caller: the first whose `from` matches, or null. */
export function distributeRule(
  caller: Place,
  rules: readonly LocalityDistribute[],
): LocalityDistribute | null {
  return rules.find((r) => localityMatch(caller, r.from)) ?? null;
}

/**
 * Istio's weight of each locality under a rule, from the endpoints in each (`places[i]` has `count[i]`
 * of them); 0 for a locality no entry claims.
 */
export function localityWeights(
  rule: LocalityDistribute,
  places: readonly Place[],
  count: readonly number[],
  out: number[],
): number[] {
  out.length = places.length;
  out.fill(0);
  const claimed = places.map((_, i) => count[i]! === 0);
  for (const [pattern, weight] of Object.entries(rule.to)) {
    let total = 0;
    const mine: number[] = [];
    places.forEach((p, i) => {
      if (claimed[i] || !localityMatch(p, pattern)) return;
      claimed[i] = true;
      mine.push(i);
      total += count[i]!;
    });
    for (const i of mine) out[i] = Math.ceil((count[i]! * weight) / total);
  }
  return out;
}
