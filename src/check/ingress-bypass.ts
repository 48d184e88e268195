// MSH415: entry points through the ingress gateway to an ambient service bound to a waypoint, without
// istio.io/ingress-use-waypoint: istiod gives the gateway the service's pods, not its waypoint, so what the
// waypoint enforces (L7 authorization, routes, retries, L7 telemetry) does not see external traffic, the
// traffic a platform most wants it on. The simulator does the same (mesh/route.ts ingressUsesWaypoint) and
// counts the calls in the results (waypoint bypassed); this says so before a run, and for manifests.
import { serviceIngressWaypoint } from '../mesh/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { serviceModes, waypointOf } from './scenario-modes.ts';

export const ingressBypassRule: Rule = {
  code: 'MSH415',
  check(ctx) {
    const s = ctx.scenario;
    if (!s) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const ep of s.traffic) {
      if (ep.via !== 'ingress' || seen.has(ep.to)) continue;
      const svc = s.services.find((x) => x.key === ep.to);
      const wp = svc ? waypointOf(s, svc.key) : undefined;
      if (!svc || !wp || !serviceModes(ctx, s, svc.key).has('ambient')) continue;
      if (serviceIngressWaypoint(s, svc)) continue;
      seen.add(ep.to);
      const l7 = s.traffic.filter((t) => t.via === 'ingress' && t.to === ep.to && t.l7).map((t) => t.name);
      out.push({
        code: 'MSH415',
        severity: 'warning',
        title: 'ingress traffic bypasses the service waypoint',
        object: ctx.locate('service', svc.key),
        message:
          `${svc.key} is bound to waypoint ${wp}, and entry point(s) ${s.traffic
            .filter((t) => t.via === 'ingress' && t.to === ep.to)
            .map((t) => t.name)
            .join(', ')} reach it through the ingress gateway, which sends to its pods, not to ${wp}` +
          (l7.length > 0
            ? `; ${l7.join(', ')} need L7 at the callee (l7: true), which they will not get`
            : ''),
        architectures: {
          sidecar: `the service's own sidecars enforce its policy on every request, from the gateway too`,
          ambient: `the gateway talks HBONE to ${svc.key}'s ztunnel: ${wp}'s L7 authorization, routes, retries and L7 telemetry apply to calls from inside the mesh only`,
        },
        action: `label the Service (or namespace ${svc.namespace}) istio.io/ingress-use-waypoint: "true" if the waypoint's policy must hold for external traffic (it then costs a waypoint hop per ingress request), or attach that policy to the gateway`,
        reference:
          'istio/istio 1.28.0 pilot/pkg/xds/endpoints/endpoint_builder.go findServiceWaypoint ("They need to explicitly opt-in on the service to send from ingress -> waypoint"), pilot/pkg/serviceregistry/kube/controller/ambient/sidecar_interop.go; istio.io/latest/docs/ambient/usage/waypoint/',
      });
    }
    return out;
  },
};
