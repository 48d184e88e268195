// Which DestinationRule policy a service's callers get, as istiod picks the rule (istio/istio 1.28.0
// pilot/pkg/model/push_context.go destinationRule): the most specific host match, a rule of the service's
// own namespace (or an exact host anywhere) before the root namespace's catch-all (`*.local`:
// mesh.trafficPolicy), and rules are not merged across namespaces (no DestinationRule inheritance). A
// VirtualService weight split routes to subsets (route.go GetDestinationCluster: outbound|port|subset|host),
// which only a DestinationRule for the service's own host defines; that rule is then the service's, so
// the mesh-wide policy no longer applies to it, whether or not the rule sets a trafficPolicy itself.
import type { TrafficPolicy } from './traffic-policy.ts';
import type { Scenario, Service } from './types.ts';

/**
 * The connectionPool fields meshsim applies per service and caller connection (upstream pools, edges'
 * protocols), so not per subset (normalise/subset-policy.ts; the import drops them from a subset's).
 */
export const PER_CONNECTION_FIELDS = {
  tcp: ['idleTimeout', 'maxConnectionDuration'],
  http: [
    'idleTimeout',
    'maxRequestsPerConnection',
    'h2UpgradePolicy',
    'useClientProtocol',
    'maxConcurrentStreams',
  ],
} as const;

/** The per-connection fields a connectionPool sets, as `part.field`. */
export function perConnectionFields(pool: unknown): string[] {
  const out: string[] = [];
  for (const part of ['tcp', 'http'] as const) {
    const fields = (pool as Record<string, Record<string, unknown> | undefined> | undefined)?.[part];
    for (const k of PER_CONNECTION_FIELDS[part]) if (fields?.[k] !== undefined) out.push(`${part}.${k}`);
  }
  return out;
}

/** Whether the service's versions are split by weight: subsets, defined by a DestinationRule of its own. */
export function definesSubsets(svc: Service): boolean {
  const v = svc.versions ?? [];
  return v.length > 0 && v.every((x) => x.weight !== undefined);
}

/** The traffic policy of the DestinationRule istiod picks for `svc` (null: Envoy's and Istio's defaults). */
export function destinationPolicy(s: Scenario, svc: Service): TrafficPolicy | null {
  if (svc.trafficPolicy) return svc.trafficPolicy;
  return definesSubsets(svc) ? null : (s.mesh.trafficPolicy ?? null);
}

/**
 * The policy of each subset's cluster, in version order, where some version has one of its own (the
 * others get the service's: destinationPolicy); null where the service has no subsets or none has its own.
 */
export function subsetPolicies(s: Scenario, svc: Service): (TrafficPolicy | null)[] | null {
  if (!definesSubsets(svc) || !svc.versions!.some((v) => v.trafficPolicy)) return null;
  const rule = destinationPolicy(s, svc);
  return svc.versions!.map((v) => v.trafficPolicy ?? rule);
}
