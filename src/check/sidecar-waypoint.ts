// MSH401: sidecar callers of a service behind a waypoint (a mixed or mid-migration mesh).

import { allCalls } from '../scenario/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { waypointOf } from './scenario-modes.ts';

export const sidecarBypassRule: Rule = {
  code: 'MSH401',
  check(ctx) {
    const s = ctx.scenario;
    if (!s || !ctx.compare.includes('as-labelled')) return [];
    const mode = (ns: string) => s.namespaces.find((n) => n.name === ns)?.mode ?? 'none';
    const out: Finding[] = [];
    for (const caller of s.services) {
      const sidecars =
        caller.inject &&
        (mode(caller.namespace) === 'sidecar' ||
          (mode(caller.namespace) === 'ambient' && caller.sidecarPods > 0));
      if (!sidecars) continue;
      for (const c of allCalls(caller)) {
        const callee = s.services.find((x) => x.key === c.to);
        const wp = callee ? waypointOf(s, callee.key) : undefined;
        if (!callee || !wp || mode(callee.namespace) !== 'ambient') continue;
        out.push({
          code: 'MSH401',
          severity: 'warning',
          title: 'sidecar callers bypass the waypoint',
          object: ctx.locate('service', caller.key),
          message: `${caller.key} ${mode(caller.namespace) === 'sidecar' ? 'runs sidecars' : `still has ${caller.sidecarPods} sidecar pod(s)`} and calls ${callee.key}, bound to waypoint ${wp}`,
          architectures: {
            sidecar: 'the caller sidecar applies routes and client-side policy itself',
            ambient: `traffic from a sidecar goes to ${callee.key}'s pods, not through ${wp}: L7 policy and routing attached to the waypoint are not applied to these calls`,
          },
          action: `migrate ${caller.namespace} to ambient before relying on ${wp} for policy, or keep equivalent policy on the destination`,
          reference:
            'ASSUMPTION: sidecars that do not honour istio.io/use-waypoint send to the destination pods (istio.io/latest/docs/ambient/usage/waypoint/ describes waypoints for ambient clients); check the interoperability notes of your Istio version',
        });
      }
    }
    return out;
  },
};
