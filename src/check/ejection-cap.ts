// MSH414: outlier detection that can never eject a host. Envoy ejects a host only while 100 x (ejected +
// 1) / hosts <= max_ejection_percent, with always_eject_one_host off (envoyproxy/envoy source/common/
// upstream/outlier_detection_impl.cc ejectHost), and istiod never sets that field (istio/istio 1.28.0
// pilot/pkg/networking/core/cluster_traffic_policy.go applyOutlierDetection passes maxEjectionPercent
// alone, Envoy's 10 % unless set). So a cluster of fewer than 100 / maxEjectionPercent hosts (ten at the
// default) ejects nothing: a DestinationRule that looks protective is not. A subset is its own cluster
// (balancing.ts), so a canary's few pods are counted apart. The simulator does the same (outliers.ts).
import {
  definesSubsets,
  destinationPolicy,
  type OutlierDetection,
  type Scenario,
  type Service,
  subsetPolicies,
} from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';

interface Cluster {
  name: string;
  hosts: number;
  od: OutlierDetection | null;
}

/**
 * The clusters an Envoy holds for a service, with their hosts and outlier detection: its subsets under a
 * weighted split (each with its own policy, if it has one).
 */
function clusters(s: Scenario, svc: Service): Cluster[] {
  const rule = destinationPolicy(s, svc);
  if (!definesSubsets(svc))
    return [{ name: svc.key, hosts: svc.replicas, od: rule?.outlierDetection ?? null }];
  const own = subsetPolicies(s, svc);
  return svc.versions!.map((x, i) => ({
    name: `${svc.key} subset ${x.name}`,
    hosts: x.replicas,
    od: (own ? own[i]! : rule)?.outlierDetection ?? null,
  }));
}

export const ejectionCapRule: Rule = {
  code: 'MSH414',
  check(ctx) {
    const s = ctx.scenario;
    if (!s) return [];
    const out: Finding[] = [];
    for (const svc of s.services) {
      const capped = clusters(s, svc).filter(
        (c) => c.od !== null && c.hosts > 0 && 100 / c.hosts > c.od.maxEjectionPercent,
      );
      if (capped.length === 0) continue;
      const fewest = capped.reduce((m, c) => Math.min(m, c.hosts), Number.POSITIVE_INFINITY);
      const need = Math.min(100, Math.ceil(100 / fewest));
      out.push({
        code: 'MSH414',
        severity: 'warning',
        title: 'outlier detection that can never eject a host',
        object: ctx.locate('service', svc.key),
        message: `${capped.map((c) => `${c.name} (${c.hosts} host${c.hosts > 1 ? 's' : ''}, maxEjectionPercent ${c.od!.maxEjectionPercent} %)`).join(', ')}: one ejection would be more than maxEjectionPercent of the hosts, so Envoy ejects none (always_eject_one_host is off; Istio does not set it)`,
        architectures: {
          sidecar: "the callers' sidecars keep sending to a failing endpoint",
          ambient:
            'its waypoint (if any) keeps sending to a failing endpoint; ztunnel has no outlier detection',
        },
        action: `set outlierDetection.maxEjectionPercent to ${need} or more, or run more replicas`,
        reference:
          'envoyproxy/envoy source/common/upstream/outlier_detection_impl.cc ejectHost; istio/istio 1.28.0 pilot/pkg/networking/core/cluster_traffic_policy.go',
      });
    }
    return out;
  },
};
