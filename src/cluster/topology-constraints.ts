// A workload's hard placement rules over its own pods: required pod anti-affinity (kube-scheduler's
// InterPodAffinity filter, kubernetes/kubernetes v1.31 pkg/scheduler/framework/plugins/interpodaffinity/
// filtering.go: no node whose topology domain already holds a matching pod) and topologySpreadConstraints
// with whenUnsatisfiable DoNotSchedule (PodTopologySpread filter, pkg/scheduler/framework/plugins/
// podtopologyspread/filtering.go: matching pods in the node's domain + 1 - the fewest in any eligible
// domain must not exceed maxSkew; eligible domains are those of the nodes the pod's nodeSelector and
// required node affinity allow, nodeAffinityPolicy Honor, whatever their taints, nodeTaintsPolicy Ignore:
// common.go matchNodeInclusionPolicies, filtering.go calPreFilterState). Both rules select the workload's
// own pods, the common case (labelSelector = the Deployment's labels). ScheduleAnyway constraints only
// score (node-score.ts).
import type { TopologyRule } from '../scenario/types.ts';
import { ANTI_AFFINITY_MISMATCH, SPREAD_MISMATCH } from './reason.ts';

/** Domain of each node under a topology key: the node itself, or its zone. */
function domainOf(key: TopologyRule['topologyKey'], n: number, zone: Int32Array): number {
  return key === 'kubernetes.io/hostname' ? n : zone[n]!;
}

/**
 * `base` (the pod's selection mask, null = every node open) narrowed by the owner's rules given where
 * its pods already are; null when it has no rules. `domains`: the nodes whose domains the spread counts
 * (-1: not; null = every node).
 */
export function applyTopologyRules(
  rules: readonly TopologyRule[] | undefined,
  base: Int32Array | null,
  domains: Int32Array | null,
  zone: Int32Array,
  perNode: Int32Array,
  perZone: Int32Array,
): Int32Array | null {
  if (!rules || rules.length === 0) return base;
  const count = zone.length;
  const out = base ? Int32Array.from(base) : new Int32Array(count);
  for (const rule of rules) {
    const counts = rule.topologyKey === 'kubernetes.io/hostname' ? perNode : perZone;
    if (rule.kind === 'anti-affinity') {
      for (let n = 0; n < count; n++) if (counts[domainOf(rule.topologyKey, n, zone)]! > 0) out[n] = -1;
      continue;
    }
    let fewest = Number.POSITIVE_INFINITY;
    const seen = rule.minDomains !== undefined ? new Set<number>() : null;
    for (let n = 0; n < count; n++) {
      if (domains && domains[n]! < 0) continue;
      const d = domainOf(rule.topologyKey, n, zone);
      seen?.add(d);
      fewest = Math.min(fewest, counts[d]!);
    }
    // minDomains: with fewer eligible domains the global minimum is 0 (filtering.go minMatchNum).
    if (seen && seen.size < rule.minDomains!) fewest = 0;
    for (let n = 0; n < count; n++) {
      if (counts[domainOf(rule.topologyKey, n, zone)]! + 1 - fewest > rule.maxSkew) out[n] = -1;
    }
  }
  return out;
}

/** The reason a rule rejects node `n`, or null. */
export function topologyFailure(
  rules: readonly TopologyRule[] | undefined,
  n: number,
  mask: Int32Array | null,
): string | null {
  if (!rules || !mask || mask[n]! >= 0) return null;
  return rules.some((r) => r.kind === 'spread') ? SPREAD_MISMATCH : ANTI_AFFINITY_MISMATCH;
}
