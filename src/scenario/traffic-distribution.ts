// The values of a Service's spec.trafficDistribution meshsim simulates (simulate/replication/locality.ts),
// and the Kubernetes minor version from which the API server accepts each. Here so the loader, the
// normaliser and the importer read one list.

export const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'] as const;
export type TrafficDistribution = (typeof TRAFFIC_DISTRIBUTIONS)[number];

/**
 * The first Kubernetes minor version that accepts `d`, null for PreferClose (any version meshsim
 * supports). PreferSameZone and PreferSameNode come with the PreferSameTrafficDistribution feature gate:
 * alpha and off in 1.33, beta and on in 1.34 (kubernetes/kubernetes pkg/features/kube_features.go).
 */
export function trafficDistributionSince(d: TrafficDistribution): string | null {
  return d === 'PreferClose' ? null : '1.34';
}

/** Whether a manifest's value is one meshsim simulates. */
export function isTrafficDistribution(d: string): d is TrafficDistribution {
  return (TRAFFIC_DISTRIBUTIONS as readonly string[]).includes(d);
}
