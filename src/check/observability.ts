// MSH301: where L7 telemetry exists in each architecture; MSH302: L7 calls to ambient services with no
// waypoint.
import type { Finding } from './finding.ts';
import { edgeRates } from './load.ts';
import type { Rule } from './rule.ts';
import { serviceModes, waypointOf } from './scenario-modes.ts';

const L7_DOCS =
  'https://istio.io/latest/docs/ambient/usage/l7-features/ ; https://istio.io/latest/docs/ambient/overview/';

export const observabilityRule: Rule = {
  code: 'MSH301',
  check(ctx) {
    const s = ctx.scenario;
    if (!s) return [];
    const byNs = new Map<string, string[]>();
    for (const svc of s.services) {
      if (!serviceModes(ctx, s, svc.key).has('ambient') || waypointOf(s, svc.key)) continue;
      byNs.set(svc.namespace, [...(byNs.get(svc.namespace) ?? []), svc.name]);
    }
    return [...byNs].map(
      ([ns, names]): Finding => ({
        code: 'MSH301',
        severity: 'info',
        title: 'L7 metrics, traces and access logs disappear in ambient mode without a waypoint',
        object: ctx.locate('namespace', ns),
        message: `services without a waypoint: ${names.join(', ')}`,
        architectures: {
          sidecar:
            'every sidecar emits L7 metrics (request counts, codes, latency), trace spans and access logs for these services',
          ambient:
            'ztunnel reports L4 only (bytes, connections, mTLS identities); L7 telemetry exists only where a waypoint handles the traffic. ' +
            'Between nodes the traffic is HBONE (mTLS on port 15008): network observability tools (flow logs, eBPF L7 parsers) no longer see HTTP',
        },
        action:
          'bind a waypoint (istio.io/use-waypoint) to the services whose L7 telemetry you rely on, and count its cost in the comparison',
        reference: L7_DOCS,
      }),
    );
  },
};

export const l7CallsRule: Rule = {
  code: 'MSH302',
  check(ctx) {
    const s = ctx.scenario;
    if (!s) return [];
    const seen = new Set<string>();
    const out: Finding[] = [];
    for (const e of edgeRates(s)) {
      if (!e.l7 || seen.has(e.to) || !serviceModes(ctx, s, e.to).has('ambient') || waypointOf(s, e.to))
        continue;
      seen.add(e.to);
      out.push({
        code: 'MSH302',
        severity: 'warning',
        title: 'L7 features on calls to an ambient service with no waypoint',
        object: ctx.locate('service', e.to),
        message: `calls to ${e.to} need L7 processing (l7: true: retries, routing or L7 authorization)`,
        architectures: {
          sidecar: 'applied by the sidecars',
          ambient:
            'no proxy on the path reads HTTP: the retries, routes and L7 policies are not applied (the simulation runs these calls as L4)',
        },
        action: `bind ${e.to} to a waypoint, or accept the loss of these features`,
        reference: L7_DOCS,
      });
    }
    return out;
  },
};
