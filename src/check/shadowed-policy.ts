// MSH413: services the mesh-wide DestinationRule (mesh.trafficPolicy) does not reach because their
// versions are split by weight: the subsets the VirtualService routes to are defined by a DestinationRule
// of the service's own, istiod takes the most specific rule and merges none across namespaces, so their
// callers run Istio's defaults for them (scenario/destination-rule.ts). A known surprise: a mesh-wide
// outlier detection or circuit breaker silently stops protecting the one service being canaried.
import { definesSubsets, type TrafficPolicy } from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';

/** What of a policy Istio's defaults would not do, in a few words each. */
function settings(p: TrafficPolicy): string[] {
  const out: string[] = [];
  if (p.outlierDetection) out.push('outlier detection');
  const limits = [
    p.maxRequests,
    p.maxConnections,
    p.maxPendingRequests,
    p.maxRetries,
    p.maxRequestsPerConnection,
  ];
  if (limits.some((x) => x !== undefined) || p.retryBudget) out.push('connection-pool limits');
  if (p.idleTimeout !== undefined || p.maxConnectionDuration !== undefined) out.push('connection timeouts');
  if (p.h2UpgradePolicy || p.useClientProtocol || p.maxConcurrentStreams !== undefined)
    out.push('HTTP/2 settings');
  if (p.balancer || p.failover || p.distribute || !p.localityLb) out.push('load balancing');
  if (p.tls) out.push(`tls ${p.tls}`);
  return out;
}

export const shadowedPolicyRule: Rule = {
  code: 'MSH413',
  check(ctx) {
    const s = ctx.scenario;
    const mesh = s?.mesh.trafficPolicy;
    if (!s || !mesh) return [];
    const lost = settings(mesh);
    if (lost.length === 0) return [];
    return s.services
      .filter((svc) => !svc.trafficPolicy && definesSubsets(svc))
      .map(
        (svc): Finding => ({
          code: 'MSH413',
          severity: 'warning',
          title: 'the mesh-wide DestinationRule does not reach a service split into subsets',
          object: ctx.locate('service', svc.key),
          message: `${svc.key}'s versions are split by weight, so a DestinationRule of its own defines their subsets and replaces the mesh-wide one: its ${lost.join(', ')} ${lost.length > 1 ? 'do' : 'does'} not apply to it`,
          architectures: {
            sidecar: "its callers' sidecars treat it with Istio's defaults",
            ambient:
              "its waypoint, if any, treats it with Istio's defaults (ztunnel applies no DestinationRule)",
          },
          action: `copy the mesh-wide trafficPolicy into ${svc.key}'s DestinationRule (the scenario's trafficPolicy on the service)`,
          reference:
            'istio/istio 1.28.0 pilot/pkg/model/push_context.go destinationRule (the most specific host, no merging); istio.io/latest/docs/ops/best-practices/traffic-management/',
        }),
      );
  },
};
