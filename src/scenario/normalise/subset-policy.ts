// A version's own trafficPolicy: its DestinationRule subset's, merged over the rule's as istiod merges
// them for the subset's cluster (istio/istio 1.28.0 pilot/pkg/networking/util/util.go
// MergeSubsetTrafficPolicy): each of connectionPool, outlierDetection, loadBalancer and tls the subset sets
// replaces the rule's whole; the rest is the rule's, except its retryBudget, which ShallowCopyTrafficPolicy
// does not copy, so a subset with a policy of its own has none (as istiod builds it). A subset cluster is
// used only where a weighted split routes to it, so the versions must carry weights.
// meshsim keeps per subset what Envoy keeps per cluster and meshsim per block (replication/balancing.ts):
// circuit breakers, retry limits, outlier detection, balancer, locality. What meshsim applies per service
// and caller connection (idle timeouts, maxRequestsPerConnection, HTTP/2 upgrade and streams, tls) it
// cannot apply per subset: a subset that sets them, or whose connectionPool would drop the rule's, is an
// error rather than silently simulated otherwise.
import { perConnectionFields } from '../destination-rule.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { TrafficPolicy } from '../traffic-policy.ts';
import { normaliseTrafficPolicy } from './traffic-policy.ts';

type RawPolicy = NonNullable<RawScenario['services'][number]['trafficPolicy']>;
const GROUPS = ['connectionPool', 'outlierDetection', 'loadBalancer', 'tls'] as const;

/**
 * The policy of the subset cluster of a version whose raw policy is `subset`, under the service's own
 * raw policy `rule` (undefined: a rule with subsets only); problems at `at` (the version's trafficPolicy).
 */
export function subsetPolicy(
  subset: RawPolicy,
  rule: RawPolicy | undefined,
  weighted: boolean,
  at: PropertyKey[],
  problems: Problems,
): TrafficPolicy | undefined {
  if (!weighted) {
    problems.add(
      at,
      "weights on the versions: a subset's policy applies to its cluster, which only a weighted split routes to",
      {
        atKey: true,
      },
    );
    return undefined;
  }
  let ok = true;
  if (subset.tls !== undefined) {
    problems.add([...at, 'tls'], 'tls on the service: meshsim applies it per service, not per subset', {
      atKey: true,
    });
    ok = false;
  }
  for (const field of perConnectionFields(subset.connectionPool)) {
    problems.add(
      [...at, 'connectionPool', ...field.split('.')],
      'this on the service: meshsim applies it per service, not per subset',
      {
        atKey: true,
      },
    );
    ok = false;
  }
  const dropped = perConnectionFields(rule?.connectionPool);
  if (subset.connectionPool !== undefined && dropped.length > 0) {
    problems.add(
      [...at, 'connectionPool'],
      `no connectionPool here: it would replace the service's whole, dropping its ${dropped.join(', ')}, which meshsim applies per service`,
      { atKey: true },
    );
    ok = false;
  }
  if (!ok) return undefined;
  if (rule === undefined) return normaliseTrafficPolicy(subset);
  const merged: RawPolicy = {};
  for (const g of GROUPS) {
    const v = subset[g] ?? rule[g];
    if (v !== undefined) (merged as Record<string, unknown>)[g] = v;
  }
  return normaliseTrafficPolicy(merged);
}
